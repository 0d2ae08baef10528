import type { Schemas } from '../../api/client';
import { TONE } from '../../components/tone';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { StatusTag } from '../../components/status-tag';
import { countdown, formatMoney, formatQty, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { previewUcp } from '../../ucp';
import { useBatch } from '../admin/batch';
import { ResultsView } from '../common/results';

type Item = Schemas['BatchItemDto'];
type Product = Schemas['ProductDto'];
type MyBid = Schemas['BidDto'];

export default function SupplierBatchPage() {
  const id = Number(useParams().id);
  const { t, lang } = useI18n();
  const batch = useBatch(id);
  const [bidding, setBidding] = useState<Item | null>(null);
  const [receipt, setReceipt] = useState<MyBid | null>(null);
  const b = batch.data;
  const mine = useQuery({
    queryKey: ['my-bids', id],
    enabled: !!b,
    queryFn: () => ok(api.GET('/api/v1/batches/{id}/bids', { params: { path: { id }, query: { limit: 500 } as never } })),
  });
  if (!b) return <Card loading={batch.isLoading}>{batch.error ? <ApiErrorView error={batch.error} /> : null}</Card>;
  const now = Date.now();
  // The server's clock decides the window (it answers BIDDING_NOT_OPEN / BIDDING_CLOSED with its
  // message); this browser's clock only draws the countdown and a hint.
  const open = b.status === 'PUBLISHED';
  const opensAt = b.biddingOpensAt ? new Date(b.biddingOpensAt).getTime() : 0;
  const closesAt = b.biddingClosesAt ? new Date(b.biddingClosesAt).getTime() : Infinity;
  const hint = now < opensAt ? t('biddingNotOpen') : now >= closesAt ? t('biddingClosed') : null;
  const bids = ((mine.data as unknown as { items?: MyBid[] })?.items ?? []) as MyBid[];
  const left = countdown(b.biddingClosesAt, now, lang === 'zh-CN');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {b.name} <StatusTag status={b.status} />
        </Typography.Title>
        <Descriptions size="small" column={3} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('biddingOpensAt')}>{formatTime(b.biddingOpensAt, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('biddingClosesAt')}>
            {formatTime(b.biddingClosesAt, lang)} {left && <Tag color={TONE.orange}>{t('countdownTo', { what: t('biddingClosesAt'), left })}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('openingAt')}>{formatTime(b.openingAt, lang)}</Descriptions.Item>
        </Descriptions>
        {open && hint && <Alert type="info" showIcon message={hint} />}
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'items',
              label: t('items'),
              children: (
                <Table<Item>
                  rowKey="id"
                  dataSource={b.items ?? []}
                  pagination={false}
                  columns={[
                    { title: t('genericName'), dataIndex: 'genericName' },
                    { title: t('dosageForm'), dataIndex: 'dosageForm' },
                    { title: t('representativeStrength'), render: (_, i) => `${i.representativeStrength.value} ${i.representativeStrength.unit}` },
                    { title: t('ceilingUnitPrice'), dataIndex: 'ceilingUnitPrice', align: 'right', render: (v: string) => formatMoney(v) },
                    {
                      title: t('actions'),
                      render: (_, i) => (
                        <Button type="primary" size="small" disabled={!open} onClick={() => setBidding(i)}>
                          {bids.some((x) => x.itemId === i.id) ? t('replaceBid') : t('submitBid')}
                        </Button>
                      ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'mine',
              label: `${t('myBids')} (${bids.length})`,
              children: <MyBids batchId={id} bids={bids} items={b.items ?? []} open={open} onReceipt={setReceipt} />,
            },
            ...(['EVALUATED', 'AWARDED', 'ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status)
              ? [{ key: 'results', label: t('results'), children: <ResultsView batchId={id} items={b.items ?? []} rules={b.rules} canDownload={false} /> }]
              : []),
          ]}
        />
      </Card>
      {bidding && (
        <BidForm
          batchId={id}
          item={bidding}
          K={String(b.rules.strengthRatioCoefficient ?? '1.7')}
          onClose={(bid) => {
            setBidding(null);
            if (bid) setReceipt(bid);
          }}
        />
      )}
      {receipt && <ReceiptModal bid={receipt} onClose={() => setReceipt(null)} />}
    </Space>
  );
}

function MyBids({ batchId, bids, items, open, onReceipt }: { batchId: number; bids: MyBid[]; items: Item[]; open: boolean; onReceipt: (b: MyBid) => void }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const withdraw = useMutation({
    mutationFn: (bidId: number) => ok(api.DELETE('/api/v1/bids/{id}', { params: { path: { id: bidId } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['my-bids', batchId] }),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ApiErrorView error={withdraw.error} />
      <Table<MyBid>
        rowKey="id"
        dataSource={bids}
        pagination={false}
        columns={[
          { title: t('item'), render: (_, r) => items.find((i) => i.id === r.itemId)?.genericName ?? r.itemId },
          { title: t('group'), dataIndex: 'group' },
          { title: t('product'), render: (_, r) => (r.productName ? `${r.productName} ${r.productSpec ?? ''}` : `#${r.productId}`) },
          { title: t('packPrice'), dataIndex: 'packPrice', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('supplyCapacity'), dataIndex: 'supplyCapacity', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('unitComparablePrice'), dataIndex: 'unitComparablePrice', align: 'right' },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <Tag color={TONE.blue}>{s === 'SEALED' ? t('sealed') : s}</Tag> },
          { title: t('submittedAt'), dataIndex: 'submittedAt', render: (v: string) => formatTime(v, lang) },
          {
            title: t('actions'),
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => onReceipt(r)}>
                  {t('receipt')}
                </Button>
                {open && (
                  <Popconfirm title={t('confirmAction', { what: t('withdraw') })} onConfirm={() => withdraw.mutate(r.id)}>
                    <Button size="small" danger>
                      {t('withdraw')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

function BidForm({ batchId, item, K, onClose }: { batchId: number; item: Item; K: string; onClose: (bid?: MyBid) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const products = useQuery({
    queryKey: ['my-products', item.genericName],
    queryFn: () => ok(api.GET('/api/v1/catalog/products', { params: { query: { genericName: item.genericName, limit: 100 } as never } })),
  });
  const list = ((products.data as unknown as { items?: Product[] })?.items ?? []).filter((p) => p.dosageForm === item.dosageForm || true) as Product[];
  const productId = Form.useWatch('productId', form) as number | undefined;
  const packPrice = Form.useWatch('packPrice', form) as string | undefined;
  const product = list.find((p) => p.id === productId);
  const preview = useMemo(
    () =>
      product && packPrice
        ? previewUcp({
            packPrice: packPrice.trim(),
            packSize: product.packSize,
            strength: product.strength,
            repStrength: item.representativeStrength,
            K,
            ceiling: item.ceilingUnitPrice,
          })
        : null,
    [product, packPrice, item, K],
  );
  const submit = useMutation({
    mutationFn: (v: { productId: number; packPrice: string; supplyCapacity: number }) =>
      ok(
        api.POST('/api/v1/batches/{id}/bids', {
          params: { path: { id: batchId } },
          body: { itemId: item.id, productId: v.productId, packPrice: v.packPrice.trim(), supplyCapacity: v.supplyCapacity } as never,
        }),
      ),
    onSuccess: (bid) => {
      void qc.invalidateQueries({ queryKey: ['my-bids', batchId] });
      onClose(bid as unknown as MyBid);
    },
  });
  return (
    <Modal
      open
      title={`${t('submitBid')} — ${item.genericName} ${item.dosageForm}`}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('submitBid')}
      okButtonProps={{ disabled: !!preview && (!preview.ok || preview.aboveCeiling) }}
      confirmLoading={submit.isPending}
      width={620}
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('representativeStrength')}>
          {item.representativeStrength.value} {item.representativeStrength.unit}
        </Descriptions.Item>
        <Descriptions.Item label={t('ceilingUnitPrice')}>{item.ceilingUnitPrice}</Descriptions.Item>
      </Descriptions>
      <ApiErrorView error={submit.error} />
      <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v)}>
        <Form.Item label={t('product')} name="productId" rules={[{ required: true }]}>
          <Select
            loading={products.isLoading}
            options={list.map((p) => ({ value: p.id, label: `${p.genericName} ${p.strength.value}${p.strength.unit} × ${p.packSize}（${p.approvalNumber}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('packPrice')} name="packPrice" rules={[{ required: true }]}>
          <Input inputMode="decimal" placeholder="3.33" data-testid="pack-price" />
        </Form.Item>
        <Form.Item label={t('supplyCapacity')} name="supplyCapacity" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {preview && (
        <Alert
          data-testid="ucp-preview"
          type={!preview.ok || preview.aboveCeiling ? 'error' : 'success'}
          showIcon
          message={
            preview.ok ? (
              <span>
                {t('unitComparablePrice')}: <strong data-testid="ucp-value">{preview.ucp}</strong>（{t('ceiling')} {item.ceilingUnitPrice}）—{' '}
                {preview.aboveCeiling ? t('aboveCeiling') : t('withinCeiling')}
              </span>
            ) : (
              preview.message
            )
          }
        />
      )}
    </Modal>
  );
}

function ReceiptModal({ bid, onClose }: { bid: MyBid; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const text = JSON.stringify(
    { bidId: bid.id, receipt: bid.receipt, nonce: bid.nonce, packPrice: bid.packPrice, supplyCapacity: bid.supplyCapacity, submittedAt: bid.submittedAt },
    null,
    2,
  );
  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `bid-receipt-${bid.id}.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Modal open title={t('receipt')} onCancel={onClose} footer={<Button onClick={onClose}>{t('confirm')}</Button>}>
      <Alert type="info" showIcon message={t('receiptHint')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>
        <Typography.Text code data-testid="receipt" style={{ wordBreak: 'break-all' }}>
          {bid.receipt}
        </Typography.Text>
      </Typography.Paragraph>
      <pre style={{ background: '#fafafa', padding: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{text}</pre>
      <Space>
        <Button icon={<CopyOutlined />} onClick={() => void navigator.clipboard.writeText(text).then(() => message.success(t('copied')))}>
          {t('copy')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={save}>
          {t('download')}
        </Button>
      </Space>
    </Modal>
  );
}
