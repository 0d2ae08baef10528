import type { Schemas } from '../../api/client';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiErrorView } from '../../components/api-error';
import { PagedTable } from '../../components/paged-table';
import { formatMoney, formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

type Delivery = Schemas['DeliveryDto'];

export default function DeliveriesPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_deliveries')}
        </Typography.Title>
      }
      extra={
        me?.role === 'SUPPLIER' && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('newDelivery')}
          </Button>
        )
      }
    >
      <PagedTable<Delivery>
        emptyText={<NextStep text="next_deliveriesSupplier" to="/supplier/orders" link="menu_orders" />}
        queryKey={['deliveries']}
        fetchPage={(limit, offset) => ok(api.GET('/api/v1/deliveries', { params: { query: { limit, offset } as never } }))}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('agreements'), dataIndex: 'agreementId' },
          { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string | undefined, r) => n || `#${r.hospitalId}` },
          { title: t('packs'), dataIndex: 'packs', align: 'right' },
          { title: t('lotNumber'), dataIndex: 'lotNumber' },
          { title: t('deliveredAt'), dataIndex: 'deliveredAt', render: (v: string) => formatTime(v, lang) },
          { title: t('acceptedPacks'), dataIndex: 'acceptedPacks', align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('amount'), dataIndex: 'acceptedAmount', align: 'right', render: (v: string | null) => formatMoney(v) },
          { title: t('status'), dataIndex: 'status' },
        ]}
      />
      {creating && <NewDelivery onClose={() => setCreating(false)} />}
    </Card>
  );
}

/** A firm's delivery note; from an order's row it comes filled with the order, its agreement and its open packs. */
export function NewDelivery({ onClose, initial }: { onClose: () => void; initial?: { agreementId: number; orderId: number; packs: number } }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (v: { agreementId: number; orderId?: number | null; packs: number; lotNumber: string; deliveredAt: Dayjs }) =>
      ok(
        api.POST('/api/v1/deliveries', {
          body: {
            agreementId: v.agreementId,
            ...(v.orderId ? { orderId: v.orderId } : {}),
            packs: v.packs,
            lotNumber: v.lotNumber,
            deliveredAt: v.deliveredAt.toDate().toISOString(),
          } as never,
        }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['deliveries'] });
      void qc.invalidateQueries({ queryKey: ['orders'] });
      onClose();
    },
  });
  return (
    <Modal open title={t('newDelivery')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <ApiErrorView error={create.error} />
      <Form form={form} layout="vertical" initialValues={initial ? { ...initial, deliveredAt: dayjs() } : undefined} onFinish={(v) => create.mutate(v)}>
        <Form.Item label={t('orderNo')} name="orderId" extra={t('orderNo_help')}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('agreements')} name="agreementId" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('packs')} name="packs" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('lotNumber')} name="lotNumber" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('deliveredAt')} name="deliveredAt" rules={[{ required: true }]}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
