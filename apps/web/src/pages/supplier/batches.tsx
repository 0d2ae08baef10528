import type { Schemas } from '../../api/client';
import { useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { StatusTag } from '../../components/status-tag';
import { countdown, formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

type BatchRow = Schemas['BatchDto'];

/** Batches a firm can see: published ones open for bids first, then those it may read results of. */
export default function SupplierBatchesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const q = useQuery({
    queryKey: ['batches', page],
    queryFn: () => ok(api.GET('/api/v1/batches', { params: { query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } } })),
  });
  const data = q.data as unknown as { items: BatchRow[]; total: number } | undefined;
  const now = Date.now();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('openBatches')}
        </Typography.Title>
      }
    >
      <ApiErrorView error={q.error} />
      <Table<BatchRow>
        locale={{ emptyText: <NextStep text="next_supplierBatches" /> }}
        rowKey="id"
        loading={q.isLoading}
        dataSource={(data?.items ?? []).filter((b) => b.status !== 'DRAFT')}
        pagination={{ ...page, total: data?.total ?? 0, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('batchCode'), dataIndex: 'code', render: (c: string, b) => <Link to={`/supplier/batches/${b.id}`}>{c}</Link> },
          { title: t('batchName'), dataIndex: 'name' },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          {
            title: t('biddingClosesAt'),
            dataIndex: 'biddingClosesAt',
            render: (v: string) => {
              const left = countdown(v, now, lang === 'zh-CN');
              return `${formatTime(v, lang)}${left ? `（${t('countdownTo', { what: t('biddingClosesAt'), left })}）` : ''}`;
            },
          },
          { title: t('openingAt'), dataIndex: 'openingAt', render: (v: string) => formatTime(v, lang) },
        ]}
      />
    </Card>
  );
}
