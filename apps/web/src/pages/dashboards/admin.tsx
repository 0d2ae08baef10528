import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { BatchSelect } from '../../components/batch-select';
import { DashChart } from '../../components/dash-chart';
import { formatMoney, formatQty } from '../../format';
import { useI18n } from '../../i18n';
import { percent } from '../execution/progress';
import { ExportButton, YearSelect } from './common';

type Funnel = Schemas['FunnelDto'];
type PriceCut = Schemas['PriceCutDto'];
type WinnerVolume = Schemas['WinnerVolumeDto'];
type ItemProgress = Schemas['ItemProgressDto'];
type LevelProgress = Schemas['LevelProgressDto'];
type Behind = Schemas['BehindHospitalDto'];

/** The procurement office's (and the fund's) dashboard of one batch: every chart from an aggregate endpoint, its table below, its export. */
export default function AdminDashboardPage() {
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
        <Alert type="info" showIcon message={t('dash_intro_admin')} />
        <Space wrap>
          <BatchSelect value={batchId} onChange={setBatchId} />
          <YearSelect value={year} onChange={setYear} />
        </Space>
        {batchId ? <BatchDashboard batchId={batchId} year={year} /> : <Empty description={t('chooseBatch')} />}
      </Space>
    </Card>
  );
}

function BatchDashboard({ batchId, year }: { batchId: number; year: number }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <FunnelCard batchId={batchId} />
      <PriceCutsCard batchId={batchId} />
      <WinnerVolumesCard batchId={batchId} />
      <ItemProgressCard batchId={batchId} year={year} />
      <LevelProgressCard batchId={batchId} year={year} />
      <BehindCard batchId={batchId} year={year} />
    </Space>
  );
}

const base = (batchId: number) => `/api/v1/dashboards/batches/${batchId}`;

function FunnelCard({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'funnel', batchId],
    queryFn: async () => (await ok(api.GET('/api/v1/dashboards/batches/{id}/funnel', { params: { path: { id: batchId } } }))) as Funnel,
  });
  const f = q.data;
  const rows = useMemo(
    () =>
      f
        ? (['items', 'itemsWithBids', 'bids', 'itemsWithWinners', 'winners', 'noBidItems'] as const).map((k) => ({
            key: k,
            stage: t(`dash_${k}`),
            count: f[k],
          }))
        : [],
    [f, t],
  );
  const categories = useMemo(() => rows.map((r) => r.stage), [rows]);
  const series = useMemo(() => [{ name: t('dash_count'), type: 'bar' as const, data: rows.map((r) => r.count), color: '#0958d9' }], [rows, t]);
  return (
    <Card type="inner" title={t('dash_funnel')} extra={<ExportButton path={`${base(batchId)}/funnel.xlsx`} filename={`batch-${batchId}-funnel.xlsx`} />}>
      <ApiErrorView error={q.error} />
      {f && !f.opened && <Alert type="warning" showIcon message={t('dash_notOpened')} style={{ marginBottom: 12 }} />}
      {f && <DashChart label={t('dash_chart', { title: t('dash_funnel') })} categories={categories} series={series} />}
      <Table
        size="small"
        data-testid="dash-funnel"
        rowKey="key"
        loading={q.isLoading}
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('dash_stage'), dataIndex: 'stage' },
          { title: t('dash_count'), dataIndex: 'count', align: 'right', render: (n: number, r) => <span data-testid={`funnel-${r.key}`}>{formatQty(n)}</span> },
        ]}
      />
    </Card>
  );
}

function PriceCutsCard({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'price-cuts', batchId],
    queryFn: async () => (await ok(api.GET('/api/v1/dashboards/batches/{id}/price-cuts', { params: { path: { id: batchId } } }))) as { items: PriceCut[] },
  });
  const items = q.data?.items ?? [];
  const categories = useMemo(() => items.map((i) => i.genericName), [items]);
  const series = useMemo(() => [{ name: t('dash_cut'), type: 'bar' as const, data: items.map((i) => i.cut), color: '#389e0d' }], [items, t]);
  return (
    <Card
      type="inner"
      title={t('dash_priceCuts')}
      extra={<ExportButton path={`${base(batchId)}/price-cuts.xlsx`} filename={`batch-${batchId}-price-cuts.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      {items.length > 0 && <DashChart label={t('dash_chart', { title: t('dash_priceCuts') })} categories={categories} series={series} percentAxis />}
      <Table<PriceCut>
        size="small"
        rowKey="itemId"
        loading={q.isLoading}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('dash_genericName'), dataIndex: 'genericName' },
          { title: t('dash_ceiling'), dataIndex: 'ceilingUnitPrice', align: 'right' },
          { title: t('dash_bids'), dataIndex: 'bids', align: 'right' },
          { title: t('dash_winners'), dataIndex: 'winners', align: 'right' },
          { title: t('dash_lowest'), dataIndex: 'lowestAwardUnitPrice', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('dash_highest'), dataIndex: 'highestAwardUnitPrice', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('dash_cut'), dataIndex: 'cut', align: 'right', render: (v: string | null) => percent(v) },
        ]}
      />
    </Card>
  );
}

function WinnerVolumesCard({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'winner-volumes', batchId],
    queryFn: async () =>
      (await ok(api.GET('/api/v1/dashboards/batches/{id}/winner-volumes', { params: { path: { id: batchId } } }))) as { items: WinnerVolume[] },
  });
  const items = q.data?.items ?? [];
  const categories = useMemo(() => items.map((i) => i.supplierName), [items]);
  const series = useMemo(() => [{ name: t('dash_amount'), type: 'bar' as const, data: items.map((i) => i.amount), color: '#d48806' }], [items, t]);
  return (
    <Card
      type="inner"
      title={t('dash_winnerVolumes')}
      extra={<ExportButton path={`${base(batchId)}/winner-volumes.xlsx`} filename={`batch-${batchId}-winner-volumes.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      {items.length > 0 && <DashChart label={t('dash_chart', { title: t('dash_winnerVolumes') })} categories={categories} series={series} />}
      <Table<WinnerVolume>
        size="small"
        data-testid="dash-winner-volumes"
        rowKey="supplierId"
        loading={q.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('dash_supplier'), dataIndex: 'supplierName' },
          { title: t('dash_agreements'), dataIndex: 'agreements', align: 'right' },
          { title: t('dash_units'), dataIndex: 'units', align: 'right', render: (n: number) => formatQty(n) },
          { title: t('dash_amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('dash_confirmedAmount'), dataIndex: 'confirmedAmount', align: 'right', render: (v: string) => formatMoney(v) },
        ]}
      />
    </Card>
  );
}

function progressColumns(t: ReturnType<typeof useI18n>['t']) {
  return [
    { title: t('dash_hospitals'), dataIndex: 'hospitals', align: 'right' as const },
    { title: t('dash_behindHospitals'), dataIndex: 'behindHospitals', align: 'right' as const },
    { title: t('dash_agreedUnits'), dataIndex: 'agreedUnits', align: 'right' as const, render: (n: number) => formatQty(n) },
    { title: t('dash_acceptedUnits'), dataIndex: 'acceptedUnits', align: 'right' as const, render: (n: number) => formatQty(n) },
    { title: t('dash_completion'), dataIndex: 'completion', align: 'right' as const, render: (v: string | null) => percent(v) },
    { title: t('dash_expected'), dataIndex: 'expectedCompletion', align: 'right' as const, render: (v: string | null) => percent(v) },
  ];
}

function CompletionChart({
  title,
  categories,
  rows,
}: {
  title: string;
  categories: string[];
  rows: { completion: string | null; expectedCompletion: string | null }[];
}) {
  const { t } = useI18n();
  const expected = rows.find((r) => r.expectedCompletion !== null)?.expectedCompletion ?? null;
  const series = useMemo(() => [{ name: t('dash_completion'), type: 'bar' as const, data: rows.map((r) => r.completion), color: '#0958d9' }], [rows, t]);
  const line = useMemo(() => (expected ? { value: expected, label: `${t('dash_expected')} ${percent(expected)}` } : null), [expected, t]);
  return <DashChart label={t('dash_chart', { title })} categories={categories} series={series} line={line} percentAxis />;
}

function ItemProgressCard({ batchId, year }: { batchId: number; year: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'progress-by-item', batchId, year],
    queryFn: async () =>
      (await ok(api.GET('/api/v1/dashboards/batches/{id}/progress-by-item', { params: { path: { id: batchId }, query: { year } } }))) as {
        items: ItemProgress[];
      },
  });
  const items = q.data?.items ?? [];
  const categories = useMemo(() => items.map((i) => i.genericName), [items]);
  return (
    <Card
      type="inner"
      title={t('dash_progressByItem')}
      extra={<ExportButton path={`${base(batchId)}/progress-by-item.xlsx?year=${year}`} filename={`batch-${batchId}-progress-by-item.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      {items.length > 0 ? (
        <CompletionChart title={t('dash_progressByItem')} categories={categories} rows={items} />
      ) : (
        !q.isLoading && <Alert type="info" showIcon message={t('dash_noProgress')} />
      )}
      <Table<ItemProgress>
        size="small"
        data-testid="dash-progress-by-item"
        rowKey="itemId"
        loading={q.isLoading}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[{ title: t('dash_genericName'), dataIndex: 'genericName' }, ...progressColumns(t)]}
      />
    </Card>
  );
}

function LevelProgressCard({ batchId, year }: { batchId: number; year: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'progress-by-level', batchId, year],
    queryFn: async () =>
      (await ok(api.GET('/api/v1/dashboards/batches/{id}/progress-by-level', { params: { path: { id: batchId }, query: { year } } }))) as {
        items: LevelProgress[];
      },
  });
  const items = q.data?.items ?? [];
  const levelName = (l: string | null | undefined) => (l ? t(`dash_level_${l as 'PRIMARY' | 'SECONDARY' | 'TERTIARY'}`) : t('dash_level_none'));
  const categories = useMemo(() => items.map((i) => (i.level ? t(`dash_level_${i.level}`) : t('dash_level_none'))), [items, t]);
  return (
    <Card
      type="inner"
      title={t('dash_progressByLevel')}
      extra={<ExportButton path={`${base(batchId)}/progress-by-level.xlsx?year=${year}`} filename={`batch-${batchId}-progress-by-level.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      {items.length > 0 && <CompletionChart title={t('dash_progressByLevel')} categories={categories} rows={items} />}
      <Table<LevelProgress>
        size="small"
        rowKey={(r) => r.level ?? 'none'}
        loading={q.isLoading}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={false}
        columns={[{ title: t('dash_level'), dataIndex: 'level', render: (l: string | null) => levelName(l) }, ...progressColumns(t)]}
      />
    </Card>
  );
}

function BehindCard({ batchId, year }: { batchId: number; year: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const q = useQuery({
    queryKey: ['dash', 'behind', batchId, year, page],
    queryFn: async () =>
      (await ok(
        api.GET('/api/v1/dashboards/batches/{id}/behind-hospitals', {
          params: { path: { id: batchId }, query: { year, limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      )) as { items: Behind[]; total: number },
  });
  return (
    <Card
      type="inner"
      title={t('dash_behind')}
      extra={<ExportButton path={`${base(batchId)}/behind-hospitals.xlsx?year=${year}`} filename={`batch-${batchId}-behind-hospitals.xlsx`} />}
    >
      <ApiErrorView error={q.error} />
      <Table<Behind>
        size="small"
        data-testid="dash-behind"
        rowKey="hospitalId"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          ...page,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('dash_hospital'), dataIndex: 'hospitalName' },
          {
            title: t('dash_level'),
            dataIndex: 'level',
            render: (l: string | null) => (l ? t(`dash_level_${l as 'PRIMARY' | 'SECONDARY' | 'TERTIARY'}`) : t('dash_level_none')),
          },
          { title: t('dash_behindRows'), dataIndex: 'behindRows', align: 'right' },
          { title: t('dash_agreedUnits'), dataIndex: 'agreedUnits', align: 'right', render: (n: number) => formatQty(n) },
          { title: t('dash_acceptedUnits'), dataIndex: 'acceptedUnits', align: 'right', render: (n: number) => formatQty(n) },
          { title: t('dash_completion'), dataIndex: 'completion', align: 'right', render: (v: string | null) => percent(v) },
          { title: t('dash_expected'), dataIndex: 'expectedCompletion', align: 'right', render: (v: string | null) => percent(v) },
        ]}
      />
    </Card>
  );
}
