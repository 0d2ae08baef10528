import type { Schemas } from '../../api/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiErrorView } from '../../components/api-error';
import { JobProgress } from '../../components/job-progress';
import { PagedTable } from '../../components/paged-table';
import { TONE } from '../../components/tone';
import { formatQty, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { useBatch } from './use-batch';
import { BatchPage } from '../../components/batch-page';

type Progress = Schemas['ProgressDto'];
type Performance = Schemas['SupplierPerformanceDto'];
type Flag = 'BEHIND' | 'NON_SELECTED_SHARE';

/** A 4-decimal ratio string ("0.6667") as a percentage with two decimals, by string arithmetic (no floats). */
export function percent(ratio: string | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  const m = /^(\d+)(?:\.(\d{0,4}))?$/.exec(ratio);
  if (!m) return ratio;
  const frac = (m[2] ?? '').padEnd(4, '0');
  const whole = `${Number(m[1]) * 100 + Number(frac.slice(0, 2))}`;
  return `${whole}.${frac.slice(2, 4)}%`;
}

/**
 * Execution progress (domain.md §16 of the execution note): per hospital × item × group and
 * agreement year, with the BEHIND and NON_SELECTED_SHARE flags, paged and filtered on the server.
 * A hospital sees its own rows, a firm its own agreements, the office and the fund every row
 * (filters: hospital, item, firm, flag) and an export; below, the firms' order punctuality.
 */
export default function ProgressPage() {
  const { t } = useI18n();
  return (
    <BatchPage title="menu_progress" intro="prog_intro" statuses={['IN_FORCE', 'COMPLETED']} empty={<Empty description={t('chooseBatch')} />}>
      {(batchId) => <BatchProgress batchId={batchId} />}
    </BatchPage>
  );
}

function BatchProgress({ batchId }: { batchId: number }) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const batch = useBatch(batchId);
  const role = me?.role;
  const all = role === 'ADMIN' || role === 'FUND';
  const [year, setYear] = useState<number>();
  const [hospitalId, setHospitalId] = useState<number | null>(null);
  const [supplierId, setSupplierId] = useState<number | null>(null);
  const [itemId, setItemId] = useState<number>();
  const [flag, setFlag] = useState<Flag>();
  const [job, setJob] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const filters = {
    year,
    itemId,
    flag,
    ...(all && hospitalId ? { hospitalId } : {}),
    ...(all && supplierId ? { supplierId } : {}),
  };
  const recompute = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/batches/{id}/progress/recompute', { params: { path: { id: batchId } } })),
    onSuccess: (r) => setJob((r as { jobId: string }).jobId),
  });
  const qs = new URLSearchParams(Object.entries(filters).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
  const items = batch.data?.items ?? [];
  const itemName = (id: number) => items.find((i) => i.id === id)?.genericName ?? `#${id}`;
  const flagTag = (f: Flag) => (
    <Tag key={f} color={f === 'BEHIND' ? TONE.red : TONE.orange}>
      {t(f === 'BEHIND' ? 'flag_BEHIND' : 'flag_NON_SELECTED_SHARE')}
    </Tag>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Space wrap>
        <Select
          aria-label={t('year')}
          style={{ width: 140 }}
          allowClear
          placeholder={t('allYears')}
          value={year}
          onChange={setYear}
          options={[1, 2, 3, 4, 5].map((y) => ({ value: y, label: `${t('year')} ${y}` }))}
        />
        <Select
          aria-label={t('item')}
          style={{ width: 200 }}
          allowClear
          placeholder={t('item')}
          value={itemId}
          onChange={setItemId}
          options={items.map((i) => ({ value: i.id, label: `${i.genericName} ${i.dosageForm}` }))}
        />
        {all && (
          <>
            <InputNumber
              aria-label={t('hospital')}
              placeholder={t('hospital')}
              min={1}
              precision={0}
              value={hospitalId}
              onChange={setHospitalId}
              style={{ width: 140 }}
            />
            <InputNumber
              aria-label={t('supplier')}
              placeholder={t('supplier')}
              min={1}
              precision={0}
              value={supplierId}
              onChange={setSupplierId}
              style={{ width: 140 }}
            />
          </>
        )}
        <Select
          aria-label={t('prog_flags')}
          style={{ width: 180 }}
          allowClear
          placeholder={t('flag_any')}
          value={flag}
          onChange={setFlag}
          options={(['BEHIND', 'NON_SELECTED_SHARE'] as const).map((f) => ({ value: f, label: t(f === 'BEHIND' ? 'flag_BEHIND' : 'flag_NON_SELECTED_SHARE') }))}
        />
        <Button
          onClick={() => {
            setExportError(null);
            void download(`/api/v1/batches/${batchId}/progress/export.xlsx${qs ? `?${qs}` : ''}`, `progress-${batchId}.xlsx`).catch(setExportError);
          }}
        >
          {t('export')}
        </Button>
        {role === 'ADMIN' && (
          <Button type="primary" loading={recompute.isPending} onClick={() => recompute.mutate()}>
            {t('prog_recompute')}
          </Button>
        )}
      </Space>
      <ApiErrorView error={exportError ?? recompute.error} />
      {job && (
        <JobProgress
          jobId={job}
          title={t('prog_recompute')}
          onDone={() => {
            void message.success(t('success'));
            void qc.invalidateQueries({ queryKey: ['progress', batchId] });
          }}
        />
      )}
      <PagedTable<Progress>
        queryKey={['progress', batchId, filters]}
        rowKey="rowKey"
        emptyText={<Empty description={t('prog_empty')} />}
        fetchPage={async (limit, offset) => {
          const page = await ok(api.GET('/api/v1/batches/{id}/progress', { params: { path: { id: batchId }, query: { ...filters, limit, offset } } }));
          const p = page as unknown as { items: Progress[]; total: number };
          return { ...p, items: p.items.map((r) => ({ ...r, rowKey: `${r.year}-${r.hospitalId}-${r.itemId}-${r.group}-${r.agreementId ?? ''}` })) };
        }}
        columns={[
          { title: t('year'), dataIndex: 'year' },
          ...(role !== 'HOSPITAL' ? [{ title: t('hospital'), dataIndex: 'hospitalName' }] : []),
          { title: t('item'), dataIndex: 'itemId', render: (id: number) => itemName(id) },
          { title: t('group'), dataIndex: 'group', render: (g: string) => <Tag>{t(g === 'A' ? 'group_A' : 'group_B')}</Tag> },
          ...(role === 'SUPPLIER' || (all && supplierId) ? [{ title: t('supplier'), dataIndex: 'supplierName' }] : []),
          { title: t('prog_agreed'), dataIndex: 'agreedUnits', align: 'right' as const, render: formatQty },
          { title: t('prog_ordered'), dataIndex: 'orderedUnits', align: 'right' as const, render: formatQty },
          { title: t('prog_delivered'), dataIndex: 'deliveredUnits', align: 'right' as const, render: formatQty },
          { title: t('prog_accepted'), dataIndex: 'acceptedUnits', align: 'right' as const, render: formatQty },
          { title: t('prog_completion'), dataIndex: 'completion', align: 'right' as const, render: (v: string | null) => percent(v) },
          { title: t('prog_expected'), dataIndex: 'expectedCompletion', align: 'right' as const, render: (v: string) => percent(v) },
          ...(role !== 'SUPPLIER'
            ? [{ title: t('prog_nonSelectedShare'), dataIndex: 'nonSelectedShare', align: 'right' as const, render: (v: string | null) => percent(v) }]
            : []),
          {
            title: t('prog_flags'),
            dataIndex: 'flags',
            render: (f: Flag[], r: Progress) => (
              <span title={`${t('prog_computedAt')}: ${formatTime(r.computedAt, lang)}`}>{f.length ? f.map(flagTag) : '—'}</span>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('prog_suppliers')}</Typography.Title>
      <PagedTable<Performance>
        queryKey={['progress-suppliers', batchId]}
        rowKey="supplierId"
        pageSize={10}
        fetchPage={(limit, offset) => ok(api.GET('/api/v1/batches/{id}/progress/suppliers', { params: { path: { id: batchId }, query: { limit, offset } } }))}
        columns={[
          { title: t('supplier'), dataIndex: 'supplierName' },
          { title: t('perf_orders'), dataIndex: 'orders', align: 'right' },
          { title: t('perf_confirmedInTime'), render: (_: unknown, r) => `${r.confirmedInTime} / ${r.confirmed}`, align: 'right' },
          { title: t('perf_refused'), dataIndex: 'refused', align: 'right' },
          { title: t('perf_unansweredLate'), dataIndex: 'unansweredLate', align: 'right' },
          { title: t('perf_fillRate'), dataIndex: 'fillRate', align: 'right', render: (v: string | null) => percent(v) },
          { title: t('perf_daysToFirst'), dataIndex: 'averageDaysToFirstDelivery', align: 'right', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Space>
  );
}
