import type { Schemas } from '../../api/client';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiErrorView } from '../../components/api-error';
import { TONE } from '../../components/tone';
import { formatMoney, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { percent } from './progress';
import { BatchPage } from '../../components/batch-page';

type Retention = Schemas['RetentionDto'];
type RetentionPage = Schemas['RetentionPageDto'];

/**
 * Savings retention per hospital and agreement year (execution note, §16): savings, score, share,
 * retained, provisional or fixed, with the totals over every matching row (summed by the API in
 * SQL, not over the page) and the export. The fund and the office see every hospital, a hospital
 * its own.
 */
export default function RetentionPage() {
  const { t } = useI18n();
  return (
    <BatchPage title="menu_retention" intro="ret_intro" statuses={['IN_FORCE', 'COMPLETED']} empty={<Empty description={t('chooseBatch')} />}>
      {(batchId) => <BatchRetention batchId={batchId} />}
    </BatchPage>
  );
}

function BatchRetention({ batchId }: { batchId: number }) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const all = me?.role !== 'HOSPITAL';
  const [year, setYear] = useState<number>();
  const [status, setStatus] = useState<'PROVISIONAL' | 'FIXED'>();
  const [hospitalId, setHospitalId] = useState<number | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [exportError, setExportError] = useState<unknown>(null);
  const filters = { year, status, ...(all && hospitalId ? { hospitalId } : {}) };
  const q = useQuery({
    queryKey: ['retention', batchId, filters, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/retention', {
          params: { path: { id: batchId }, query: { ...filters, limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      ),
  });
  const data = q.data as RetentionPage | undefined;
  const qs = new URLSearchParams(Object.entries(filters).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
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
          aria-label={t('status')}
          style={{ width: 140 }}
          allowClear
          placeholder={t('allStatuses')}
          value={status}
          onChange={setStatus}
          options={(['PROVISIONAL', 'FIXED'] as const).map((s) => ({ value: s, label: t(`ret_status_${s}`) }))}
        />
        {all && (
          <InputNumber
            aria-label={t('hospital')}
            placeholder={t('hospital')}
            min={1}
            precision={0}
            value={hospitalId}
            onChange={setHospitalId}
            style={{ width: 140 }}
          />
        )}
        {all && (
          <Button
            onClick={() => {
              setExportError(null);
              void download(`/api/v1/batches/${batchId}/retention.xlsx${qs ? `?${qs}` : ''}`, `retention-${batchId}.xlsx`).catch(setExportError);
            }}
          >
            {t('export')}
          </Button>
        )}
      </Space>
      <ApiErrorView error={q.error ?? exportError} />
      {data && (
        <Alert
          type="success"
          data-testid="retention-totals"
          message={t('ret_totals', { savings: formatMoney(data.totals.savings), retained: formatMoney(data.totals.retained), n: data.total })}
        />
      )}
      <Table<Retention>
        rowKey={(r) => `${r.hospitalId}-${r.year}`}
        loading={q.isLoading}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('ret_empty')} /> }}
        pagination={{
          ...page,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('hospital'), dataIndex: 'hospitalName' },
          { title: t('year'), dataIndex: 'year' },
          { title: t('ret_savings'), dataIndex: 'savings', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('ret_score'), dataIndex: 'score', align: 'right', render: (v: string | null) => v ?? '—' },
          { title: t('ret_share'), dataIndex: 'share', align: 'right', render: (v: string | null) => percent(v) },
          { title: t('ret_retained'), dataIndex: 'retained', align: 'right', render: (v: string | null) => formatMoney(v) },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (s: Retention['status']) => <Tag color={s === 'FIXED' ? TONE.green : TONE.blue}>{t(`ret_status_${s}`)}</Tag>,
          },
          { title: t('prog_computedAt'), dataIndex: 'computedAt', render: (v: string) => formatTime(v, lang) },
        ]}
      />
    </Space>
  );
}
