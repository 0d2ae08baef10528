import type { Schemas } from '../../api/client';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiErrorView } from '../../components/api-error';
import { PagedTable } from '../../components/paged-table';
import { TONE } from '../../components/tone';
import { formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import { NewDelivery } from './deliveries';
import type { Messages } from '../../messages';

type Order = Schemas['OrderDto'];

const COLOR: Record<string, string> = {
  PLACED: TONE.blue,
  CONFIRMED: TONE.green,
  REFUSED: TONE.red,
  PARTIALLY_DELIVERED: TONE.cyan,
  DELIVERED: TONE.green,
  CANCELLED: 'default',
};

/**
 * Purchase orders (采购订单): a hospital places them against its agreements and may cancel one
 * until the firm answers; the firm confirms or refuses with a reason before the deadline.
 */
export default function OrdersPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [placing, setPlacing] = useState(false);
  const [refusing, setRefusing] = useState<Order | null>(null);
  const [delivering, setDelivering] = useState<Order | null>(null);
  const done = () => {
    void message.success(t('success'));
    void qc.invalidateQueries({ queryKey: ['orders'] });
  };
  const act = useMutation({
    mutationFn: (a: { id: number; what: 'confirm' | 'cancel' }) =>
      ok(api.POST(`/api/v1/orders/{id}/${a.what}` as never, { params: { path: { id: a.id } } } as never)),
    onSuccess: done,
  });
  const statusLabel = (s: string) => {
    const key = `order_${s}` as keyof Messages;
    const v = t(key);
    return v === key ? s : v;
  };
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_orders')}
        </Typography.Title>
      }
      extra={
        me?.role === 'HOSPITAL' && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPlacing(true)}>
            {t('placeOrder')}
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <ApiErrorView error={act.error} />
        <PagedTable<Order>
          emptyText={
            me?.role === 'HOSPITAL' ? (
              <NextStep text="next_ordersHospital" to="/hospital/agreements" link="menu_agreements" />
            ) : (
              <NextStep text="next_ordersSupplier" />
            )
          }
          queryKey={['orders']}
          fetchPage={(limit, offset) => ok(api.GET('/api/v1/orders' as never, { params: { query: { limit, offset } } } as never))}
          columns={[
            { title: t('id'), dataIndex: 'id' },
            { title: t('agreements'), dataIndex: 'agreementId' },
            {
              title: me?.role === 'HOSPITAL' ? t('supplier') : t('hospital'),
              render: (_, o) => (me?.role === 'HOSPITAL' ? o.supplierName || `#${o.supplierId}` : o.hospitalName || `#${o.hospitalId}`),
            },
            { title: t('packs'), dataIndex: 'packs', align: 'right' },
            { title: t('deliveredPacks'), dataIndex: 'deliveredPacks', align: 'right' },
            { title: t('placedAt'), dataIndex: 'placedAt', render: (v: string) => formatTime(v, lang) },
            { title: t('confirmDeadline'), dataIndex: 'confirmDeadline', render: (v: string) => formatTime(v, lang) },
            {
              title: t('status'),
              render: (_, o) => (
                <Space direction="vertical" size={0}>
                  <Tag color={COLOR[o.status]}>{statusLabel(o.status)}</Tag>
                  {o.refusalReason && (
                    <Typography.Text type="secondary">{`${t(`refusal_${o.refusalReason}` as keyof Messages)}${o.refusalNote ? `：${o.refusalNote}` : ''}`}</Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('actions'),
              render: (_, o) =>
                me?.role === 'SUPPLIER' && (o.status === 'CONFIRMED' || o.status === 'PARTIALLY_DELIVERED') && o.openPacks > 0 ? (
                  <Button size="small" type="primary" onClick={() => setDelivering(o)}>
                    {t('deliverOrder')}
                  </Button>
                ) : o.status !== 'PLACED' ? null : me?.role === 'HOSPITAL' ? (
                  <Popconfirm title={t('confirmAction', { what: t('cancelOrder') })} onConfirm={() => act.mutate({ id: o.id, what: 'cancel' })}>
                    <Button size="small">{t('cancelOrder')}</Button>
                  </Popconfirm>
                ) : (
                  <Space>
                    <Button size="small" type="primary" onClick={() => act.mutate({ id: o.id, what: 'confirm' })}>
                      {t('confirmOrder')}
                    </Button>
                    <Button size="small" danger onClick={() => setRefusing(o)}>
                      {t('refuseOrder')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Space>
      {placing && <PlaceOrder onClose={() => setPlacing(false)} onDone={done} />}
      {refusing && <RefuseOrder order={refusing} onClose={() => setRefusing(null)} onDone={done} />}
      {delivering && (
        <NewDelivery
          onClose={() => setDelivering(null)}
          initial={{ agreementId: delivering.agreementId, orderId: delivering.id, packs: delivering.openPacks }}
        />
      )}
    </Card>
  );
}

/** A hospital's order; from an agreement's row it comes with the agreement filled in. */
export function PlaceOrder({ onClose, onDone, agreementId }: { onClose: () => void; onDone: () => void; agreementId?: number }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const place = useMutation({
    mutationFn: (v: { agreementId: number; packs: number; requestedBy: string }) => ok(api.POST('/api/v1/orders' as never, { body: v } as never)),
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Modal open title={t('placeOrder')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={place.isPending}>
      <ApiErrorView error={place.error} />
      <Form form={form} layout="vertical" initialValues={agreementId ? { agreementId } : undefined} onFinish={(v) => place.mutate(v)}>
        <Form.Item label={`${t('agreements')} ${t('id')}`} name="agreementId" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('packs')} name="packs" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('requestedBy')} name="requestedBy" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RefuseOrder({ order, onClose, onDone }: { order: Order; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const refuse = useMutation({
    mutationFn: (v: { reason: string; note?: string }) =>
      ok(api.POST('/api/v1/orders/{id}/refuse' as never, { params: { path: { id: order.id } }, body: v } as never)),
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Modal open title={`${t('refuseOrder')} #${order.id}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={refuse.isPending}>
      <ApiErrorView error={refuse.error} />
      <Form form={form} layout="vertical" onFinish={(v) => refuse.mutate(v)} initialValues={{ reason: 'STOCK_OUT' }}>
        <Form.Item label={t('refusalReason')} name="reason" rules={[{ required: true }]}>
          <Select
            options={['STOCK_OUT', 'OTHER'].map((r) => ({
              value: r,
              label: t(`refusal_${r}` as keyof Messages),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('message')} name="note">
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
