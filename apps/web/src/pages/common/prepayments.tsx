import type { Schemas } from '../../api/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiErrorView } from '../../components/api-error';
import { BatchSelect } from '../../components/batch-select';
import { PagedTable } from '../../components/paged-table';
import { TONE } from '../../components/tone';
import { formatMoney } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

type Prepayment = Schemas['PrepaymentDto'];

/** Prepayments (domain.md 8): the fund's schedule (disburse early), a hospital's own with its prepaid balance. */
export default function PrepaymentsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [batchId, setBatchId] = useState<number>();
  const disburse = useMutation({
    mutationFn: (id: number) => ok(api.POST('/api/v1/prepayments/{id}/disburse', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success(t('success'));
      void qc.invalidateQueries({ queryKey: ['prepayments'] });
    },
  });
  const tag = (s: string) =>
    s === 'DISBURSED' ? (
      <Tag color={TONE.green}>{t('disbursed')}</Tag>
    ) : s === 'RECOVERED' ? (
      <Tag>{t('recovered')}</Tag>
    ) : (
      <Tag color={TONE.blue}>{t('scheduled')}</Tag>
    );
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_prepayments')}
        </Typography.Title>
      }
      extra={
        me?.role !== 'HOSPITAL' && (
          <Button onClick={() => void download(`/api/v1/prepayments/schedule.xlsx${batchId ? `?batchId=${batchId}` : ''}`, 'prepayments.xlsx')}>
            {t('download')} .xlsx
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <BatchSelect value={batchId} onChange={setBatchId} statuses={['IN_FORCE', 'COMPLETED']} />
        <ApiErrorView error={disburse.error} />
        <PagedTable<Prepayment>
          emptyText={<NextStep text="next_prepayments" />}
          queryKey={['prepayments', batchId]}
          fetchPage={(limit, offset) => ok(api.GET('/api/v1/prepayments', { params: { query: { batchId, limit, offset } as never } }))}
          columns={[
            { title: t('id'), dataIndex: 'id' },
            { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string | undefined, r) => n || `#${r.hospitalId}` },
            { title: t('batch'), dataIndex: 'batchId' },
            { title: t('year'), dataIndex: 'year' },
            { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('dueDate'), dataIndex: 'dueDate' },
            { title: t('status'), dataIndex: 'status', render: tag },
            { title: t('balance'), dataIndex: 'balance', align: 'right', render: (v: string) => formatMoney(v) },
            ...(me?.role === 'FUND'
              ? [
                  {
                    title: t('actions'),
                    render: (_: unknown, p: Prepayment) =>
                      p.status === 'SCHEDULED' ? (
                        <Popconfirm title={t('confirmAction', { what: t('disburse') })} onConfirm={() => disburse.mutate(p.id)}>
                          <Button size="small">{t('disburse')}</Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Space>
    </Card>
  );
}
