import type { Schemas } from '../../api/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { StatusTag } from '../../components/status-tag';
import { formatMoney, formatQty } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import { PlaceOrder } from '../common/orders';
import { BatchPage } from '../../components/batch-page';

type AgreementRow = Schemas['AgreementDto'];

/** A hospital's agreements of a batch: confirm one, or every pending one in one request. */
export default function HospitalAgreementsPage() {
  return (
    <BatchPage title="menu_agreements" statuses={['ALLOCATED', 'IN_FORCE', 'COMPLETED']} empty={<NextStep text="next_agreements" />}>
      {(batchId) => <Agreements batchId={batchId} />}
    </BatchPage>
  );
}

function Agreements({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [ordering, setOrdering] = useState<number | null>(null);
  const q = useQuery({
    queryKey: ['agreements', batchId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/agreements', {
          params: { path: { id: batchId }, query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } as never },
        }),
      ),
  });
  const data = q.data as unknown as { items: AgreementRow[]; total: number } | undefined;
  const done = () => {
    void message.success(t('success'));
    void qc.invalidateQueries({ queryKey: ['agreements', batchId] });
  };
  const confirmOne = useMutation({
    mutationFn: (id: number) => ok(api.POST('/api/v1/agreements/{id}/confirm', { params: { path: { id } } })),
    onSuccess: done,
  });
  const confirmAll = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/batches/{id}/agreements/confirm' as never, { params: { path: { id: batchId } }, body: {} } as never)),
    onSuccess: done,
  });
  const pending = (data?.items ?? []).some((a) => a.status === 'PENDING_CONFIRMATION');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Popconfirm title={t('confirmAction', { what: t('confirmAll') })} onConfirm={() => confirmAll.mutate()} disabled={!pending}>
        <Button type="primary" disabled={!pending} loading={confirmAll.isPending}>
          {t('confirmAll')}
        </Button>
      </Popconfirm>
      <ApiErrorView error={confirmAll.error ?? confirmOne.error} />
      <Table<AgreementRow>
        rowKey="id"
        loading={q.isLoading}
        dataSource={data?.items ?? []}
        pagination={{ ...page, total: data?.total ?? 0, showTotal: (n) => t('total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
          { title: t('product'), render: (_, r) => (r.productName ? `${r.productName} ${r.productSpec ?? ''}` : `#${r.itemId}`) },
          { title: t('group'), dataIndex: 'group' },
          { title: t('units'), dataIndex: 'units', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('unitComparablePrice'), dataIndex: 'unitComparablePrice', align: 'right' },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          {
            title: t('actions'),
            render: (_, a) =>
              a.status === 'PENDING_CONFIRMATION' ? (
                <Button size="small" onClick={() => confirmOne.mutate(a.id)}>
                  {t('confirmOne')}
                </Button>
              ) : a.status === 'CONFIRMED' ? (
                <Button size="small" onClick={() => setOrdering(a.id)}>
                  {t('placeOrder')}
                </Button>
              ) : null,
          },
        ]}
      />
      {ordering && (
        <PlaceOrder
          agreementId={ordering}
          onClose={() => setOrdering(null)}
          onDone={() => {
            void message.success(t('success'));
            void qc.invalidateQueries({ queryKey: ['orders'] });
          }}
        />
      )}
    </Space>
  );
}
