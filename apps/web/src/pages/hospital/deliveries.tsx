import type { Schemas } from '../../api/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { TONE } from '../../components/tone';
import { formatMoney, formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

type Delivery = Schemas['DeliveryDto'];

/** Deliveries to this hospital: accept in full or in part (acceptedPacks ≤ packs), one by one or the selected ones in full. */
export default function HospitalDeliveriesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [selected, setSelected] = useState<number[]>([]);
  const [parts, setParts] = useState<Record<number, number | null>>({});
  const q = useQuery({
    queryKey: ['deliveries', page],
    queryFn: () => ok(api.GET('/api/v1/deliveries', { params: { query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } as never } })),
  });
  const data = q.data as unknown as { items: Delivery[]; total: number } | undefined;
  const accept = useMutation({
    mutationFn: async (list: { id: number; acceptedPacks: number }[]) => {
      for (const d of list)
        await ok(api.POST('/api/v1/deliveries/{id}/accept', { params: { path: { id: d.id } }, body: { acceptedPacks: d.acceptedPacks } as never }));
    },
    onSuccess: () => {
      setSelected([]);
      setParts({});
      void message.success(t('success'));
      void qc.invalidateQueries({ queryKey: ['deliveries'] });
    },
  });
  const rows = data?.items ?? [];
  const open = (d: Delivery) => d.acceptedAt === null;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_deliveries')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Button
          type="primary"
          disabled={selected.length === 0}
          loading={accept.isPending}
          onClick={() => accept.mutate(rows.filter((d) => selected.includes(d.id)).map((d) => ({ id: d.id, acceptedPacks: d.packs })))}
        >
          {t('acceptAll')} {selected.length > 0 ? `(${selected.length})` : ''}
        </Button>
        <ApiErrorView error={accept.error ?? q.error} />
        <Table<Delivery>
          locale={{ emptyText: <NextStep text="next_deliveriesHospital" to="/hospital/orders" link="menu_orders" /> }}
          rowKey="id"
          loading={q.isLoading}
          dataSource={rows}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys as number[]),
            getCheckboxProps: (d) => ({ disabled: !open(d), 'aria-label': `#${d.id}` }),
          }}
          pagination={{
            ...page,
            total: data?.total ?? 0,
            showTotal: (n) => t('total', { n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          columns={[
            { title: t('id'), dataIndex: 'id' },
            { title: t('agreements'), dataIndex: 'agreementId' },
            { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
            { title: t('packs'), dataIndex: 'packs', align: 'right' },
            { title: t('lotNumber'), dataIndex: 'lotNumber' },
            { title: t('deliveredAt'), dataIndex: 'deliveredAt', render: (v: string) => formatTime(v, lang) },
            { title: t('amount'), dataIndex: 'acceptedAmount', align: 'right', render: (v: string | null) => formatMoney(v) },
            {
              title: t('status'),
              render: (_, d) =>
                open(d) ? <Tag color={TONE.orange}>{t('awaitingAcceptance')}</Tag> : <Tag color={TONE.green}>{`${t('accepted')} ${d.acceptedPacks}`}</Tag>,
            },
            {
              title: t('acceptedPacks'),
              render: (_, d) =>
                open(d) ? (
                  <Space>
                    <InputNumber
                      aria-label={`${t('acceptedPacks')} #${d.id}`}
                      min={0}
                      max={d.packs}
                      precision={0}
                      value={parts[d.id] ?? d.packs}
                      onChange={(v) => setParts((p) => ({ ...p, [d.id]: v === null ? null : Number(v) }))}
                    />
                    <Button size="small" onClick={() => accept.mutate([{ id: d.id, acceptedPacks: parts[d.id] ?? d.packs }])}>
                      {t('accept')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
