import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { BatchSelect } from '../../components/batch-select';
import { DashChart } from '../../components/dash-chart';
import { TONE } from '../../components/tone';
import { formatQty } from '../../format';
import { useI18n } from '../../i18n';
import { percent } from '../execution/progress';
import { ExportButton, YearSelect } from './common';

type Dashboard = Schemas['HospitalDashboardDto'];
type Item = Schemas['HospitalItemDto'];

/** A hospital's completion per item against the expected line of the agreement year. */
export default function HospitalDashboardPage() {
  const { t } = useI18n();
  const [batchId, setBatchId] = useState<number>();
  const [year, setYear] = useState(1);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_dashboard')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <Alert type="info" showIcon message={t('dash_intro_hospital')} />
        <Space wrap>
          <BatchSelect value={batchId} onChange={setBatchId} statuses={['IN_FORCE', 'COMPLETED']} />
          <YearSelect value={year} onChange={setYear} />
        </Space>
        {batchId ? <Completion batchId={batchId} year={year} /> : <Empty description={t('chooseBatch')} />}
      </Space>
    </Card>
  );
}

function Completion({ batchId, year }: { batchId: number; year: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'hospital', batchId, year],
    queryFn: async () => (await ok(api.GET('/api/v1/dashboards/hospital', { params: { query: { batchId, year } } }))) as Dashboard,
  });
  const d = q.data;
  const items = useMemo(() => d?.items ?? [], [d]);
  const categories = useMemo(() => items.map((i) => i.genericName), [items]);
  const series = useMemo(() => [{ name: t('dash_completion'), type: 'bar' as const, data: items.map((i) => i.completion), color: '#0958d9' }], [items, t]);
  const line = useMemo(
    () => (d?.expectedCompletion ? { value: d.expectedCompletion, label: `${t('dash_expected')} ${percent(d.expectedCompletion)}` } : null),
    [d, t],
  );
  return (
    <Card
      type="inner"
      title={t('dash_itemCompletion')}
      extra={<ExportButton path={`/api/v1/dashboards/hospital.xlsx?batchId=${batchId}&year=${year}`} filename={`batch-${batchId}-completion.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      {d && (
        <Space size={48} style={{ marginBottom: 12 }}>
          <Statistic title={t('dash_agreedUnits')} value={formatQty(d.agreedUnits)} />
          <Statistic title={t('dash_acceptedUnits')} value={formatQty(d.acceptedUnits)} />
          <Statistic title={t('dash_completion')} value={percent(d.completion)} valueRender={(v) => <span data-testid="dash-hospital-completion">{v}</span>} />
          <Statistic title={t('dash_expected')} value={percent(d.expectedCompletion)} />
        </Space>
      )}
      {items.length > 0 ? (
        <DashChart label={t('dash_chart', { title: t('dash_itemCompletion') })} categories={categories} series={series} line={line} percentAxis />
      ) : (
        d && <Alert type="info" showIcon message={t('dash_noProgress')} />
      )}
      <Table<Item>
        size="small"
        data-testid="dash-hospital-items"
        rowKey="itemId"
        loading={q.isLoading}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('dash_genericName'), dataIndex: 'genericName' },
          { title: t('dash_agreedUnits'), dataIndex: 'agreedUnits', align: 'right', render: (n: number) => formatQty(n) },
          { title: t('dash_acceptedUnits'), dataIndex: 'acceptedUnits', align: 'right', render: (n: number) => formatQty(n) },
          { title: t('dash_completion'), dataIndex: 'completion', align: 'right', render: (v: string | null) => percent(v) },
          { title: t('dash_expected'), dataIndex: 'expectedCompletion', align: 'right', render: (v: string | null) => percent(v) },
          {
            title: t('status'),
            dataIndex: 'behind',
            render: (b: boolean) => <Tag color={b ? TONE.red : TONE.green}>{b ? t('dash_behindTag') : t('dash_onTrack')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
