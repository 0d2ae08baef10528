import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { type Payment, paymentColumns } from '../../components/payment-columns';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

/** Payment instructions (domain.md 10): filter by supplier, hospital, status, overdue; mark paid one by one or in bulk. */
export default function FundPaymentsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<{ supplierId?: number; hospitalId?: number; status?: string; overdue?: boolean }>({});
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [selected, setSelected] = useState<number[]>([]);
  const q = useQuery({
    queryKey: ['payments', filter, page],
    queryFn: () =>
      ok(api.GET('/api/v1/payments', { params: { query: { ...filter, limit: page.pageSize, offset: (page.current - 1) * page.pageSize } as never } })),
  });
  const data = q.data as unknown as { items: Payment[]; total: number } | undefined;
  const markPaid = useMutation({
    mutationFn: async (ids: number[]) => {
      const paidAt = new Date().toISOString();
      for (const id of ids) await ok(api.POST('/api/v1/payments/{id}/mark-paid', { params: { path: { id } }, body: { paidAt } as never }));
    },
    onSuccess: () => {
      setSelected([]);
      void message.success(t('success'));
      void qc.invalidateQueries({ queryKey: ['payments'] });
    },
  });
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_payments')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <InputNumber
            placeholder={`${t('supplier')} ${t('id')}`}
            aria-label={`${t('supplier')} ${t('id')}`}
            min={1}
            onChange={(v) => setFilter((f) => ({ ...f, supplierId: v ? Number(v) : undefined }))}
          />
          <InputNumber
            placeholder={`${t('hospital')} ${t('id')}`}
            aria-label={`${t('hospital')} ${t('id')}`}
            min={1}
            onChange={(v) => setFilter((f) => ({ ...f, hospitalId: v ? Number(v) : undefined }))}
          />
          <Select
            allowClear
            placeholder={t('status')}
            aria-label={t('status')}
            style={{ width: 140 }}
            onChange={(v?: string) => setFilter((f) => ({ ...f, status: v === 'OVERDUE' ? undefined : v, overdue: v === 'OVERDUE' ? true : undefined }))}
            options={[
              { value: 'PENDING', label: t('pending') },
              { value: 'PAID', label: t('paid') },
              { value: 'OVERDUE', label: t('overdue') },
            ]}
          />
          <Button type="primary" disabled={selected.length === 0} loading={markPaid.isPending} onClick={() => markPaid.mutate(selected)}>
            {t('markSelectedPaid')} {selected.length ? `(${selected.length})` : ''}
          </Button>
        </Space>
        <ApiErrorView error={markPaid.error ?? q.error} />
        <Table<Payment>
          locale={{ emptyText: <NextStep text="next_payments" to="/fund/settlements" link="menu_settlements" /> }}
          rowKey="id"
          loading={q.isLoading}
          dataSource={data?.items ?? []}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (k) => setSelected(k as number[]),
            getCheckboxProps: (p) => ({ disabled: p.status === 'PAID', 'aria-label': `#${p.id}` }),
          }}
          pagination={{
            ...page,
            total: data?.total ?? 0,
            showTotal: (n) => t('total', { n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          columns={[
            ...paymentColumns(t, { run: true }),
            {
              title: t('actions'),
              render: (_, p) =>
                p.status === 'PENDING' ? (
                  <Button size="small" onClick={() => markPaid.mutate([p.id])}>
                    {t('markPaid')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
