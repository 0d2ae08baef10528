import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useI18n } from '../i18n';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, LegendComponent, SVGRenderer]);

/**
 * Each bid's UCP as a bar (winners gold, gate failures grey) against the ceiling line. Values
 * are the API's decimal strings; echarts only draws them (no arithmetic happens here).
 */
export function UcpChart({
  bids,
  ceiling,
  gateLine,
}: {
  bids: { bidId: number; unitComparablePrice: string; winner: boolean; gated: boolean; rank: number; supplierName?: string }[];
  ceiling: string;
  gateLine?: string | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // Decimal strings are only drawn here: the axis needs numbers, no amount is computed from them.
    const top = Math.max(Number(ceiling), Number(gateLine ?? 0), ...bids.map((b) => Number(b.unitComparablePrice))) * 1.1;
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 200, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: bids.map((b) => `${b.rank}. ${b.supplierName || `#${b.bidId}`}`) },
      yAxis: { type: 'value', name: t('unitComparablePrice'), max: Math.ceil(top * 10) / 10 },
      series: [
        {
          type: 'bar',
          name: t('unitComparablePrice'),
          data: bids.map((b) => ({ value: b.unitComparablePrice, itemStyle: { color: b.winner ? '#d4a017' : b.gated ? '#1677ff' : '#bfbfbf' } })),
          markLine: {
            symbol: 'none',
            data: [
              { yAxis: ceiling, label: { formatter: `${t('ceiling')} ${ceiling}` }, lineStyle: { color: '#cf1322', type: 'dashed' } },
              ...(gateLine ? [{ yAxis: gateLine, label: { formatter: `${t('gateLine')} ${gateLine}` }, lineStyle: { color: '#0958d9', type: 'dotted' } }] : []),
            ],
          },
        },
      ],
    });
    return () => chart.dispose();
  }, [bids, ceiling, gateLine, t]);
  return <div ref={ref} role="img" aria-label={t('ucpChart')} style={{ width: '100%', height: 240 }} />;
}
