import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export interface DashSeries {
  name: string;
  type: 'bar' | 'line';
  /** The API's values (decimal strings or integers): only drawn, never summed here. */
  data: (string | number | null)[];
  stack?: string;
  color?: string;
  yAxisIndex?: 0 | 1;
}

/**
 * A dashboard chart: categories along x, bar or line series, an optional dashed reference line
 * (e.g. the expected completion). The numbers come from the API's aggregates as they are; the
 * table under each chart shows the same values exactly.
 */
export function DashChart({
  label,
  categories,
  series,
  line,
  percentAxis,
  firstAxis,
  secondAxis,
  height = 260,
}: {
  label: string;
  categories: string[];
  series: DashSeries[];
  line?: { value: string; label: string } | null;
  percentAxis?: boolean;
  firstAxis?: string;
  secondAxis?: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // A percent axis labels 0.2 as 20%; otherwise echarts' own labels (an undefined axisLabel would hide them).
    const first = percentAxis
      ? { axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, max: (e: { max: number }) => Math.max(1, e.max) }
      : firstAxis
        ? { name: firstAxis }
        : {};
    chart.setOption({
      animation: false,
      grid: { left: 70, right: secondAxis ? 80 : 40, top: 40, bottom: 40, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: [{ type: 'value', ...first }, ...(secondAxis ? [{ type: 'value', name: secondAxis }] : [])],
      series: series.map((s, i) => ({
        name: s.name,
        type: s.type,
        data: s.data,
        stack: s.stack,
        yAxisIndex: s.yAxisIndex ?? 0,
        itemStyle: s.color ? { color: s.color } : undefined,
        barMaxWidth: 48,
        ...(i === 0 && line
          ? {
              markLine: {
                symbol: 'none',
                data: [{ yAxis: line.value, label: { formatter: line.label, position: 'insideEndTop' }, lineStyle: { color: '#cf1322', type: 'dashed' } }],
              },
            }
          : {}),
      })),
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [categories, series, line, percentAxis, firstAxis, secondAxis]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
