import type { Schemas } from '../../api/client';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, InputNumber, Space, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { formatMoney } from '../../format';
import { useI18n } from '../../i18n';

type Quote = Schemas['QuoteAnswerDto'];

/** The claim-quote calculator (domain.md 9): the server computes; the page shows each figure with the standard. */
export default function QuotePage() {
  const { t } = useI18n();
  const quote = useMutation({
    mutationFn: (v: { productId: number; packPrice: string; packs: number; reimbursementRatio: string }) =>
      ok(api.POST('/api/v1/reimbursement/quote', { body: { ...v, packPrice: v.packPrice.trim(), reimbursementRatio: v.reimbursementRatio.trim() } as never })),
  });
  const q = quote.data as unknown as Quote | undefined;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('quoteTitle')}
        </Typography.Title>
      }
      style={{ maxWidth: 760 }}
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <ApiErrorView error={quote.error} />
        <Form layout="vertical" onFinish={(v) => quote.mutate(v)} initialValues={{ packs: 1, reimbursementRatio: '0.70' }}>
          <Space wrap>
            <Form.Item label={`${t('product')} ${t('id')}`} name="productId" rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item label={t('actualPackPrice')} name="packPrice" rules={[{ required: true }]}>
              <Input inputMode="decimal" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item label={t('packs')} name="packs" rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
            <Form.Item label={t('reimbursementRatio')} name="reimbursementRatio" rules={[{ required: true }]}>
              <Input inputMode="decimal" style={{ width: 100 }} />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={quote.isPending}>
            {t('calculate')}
          </Button>
        </Form>
        {q && (
          <Descriptions bordered column={1} size="small" data-testid="quote-result">
            <Descriptions.Item label={t('standardPackPrice')}>{formatMoney(q.standardPackPrice)}</Descriptions.Item>
            <Descriptions.Item label={t('quoteTotal')}>{formatMoney(q.total)}</Descriptions.Item>
            <Descriptions.Item label={t('eligible')}>{formatMoney(q.eligible)}</Descriptions.Item>
            <Descriptions.Item label={t('selfPaidExcess')}>{formatMoney(q.selfPaidExcess)}</Descriptions.Item>
            <Descriptions.Item label={t('fundPays')}>{formatMoney(q.fundPays)}</Descriptions.Item>
            <Descriptions.Item label={t('patientPays')}>{formatMoney(q.patientPays)}</Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  );
}
