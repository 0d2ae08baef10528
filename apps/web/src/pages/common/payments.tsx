import type { Schemas } from '../../api/client';
import { TONE } from '../../components/tone';
import { Card, Tag, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { PagedTable } from '../../components/paged-table';
import { formatMoney } from '../../format';
import { useI18n } from '../../i18n';

type Payment = Schemas['PaymentInstructionDto'];

export default function PaymentsPage() {
  const { t } = useI18n();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_payments')}
        </Typography.Title>
      }
    >
      <PagedTable<Payment>
        queryKey={['payments']}
        fetchPage={(limit, offset) => ok(api.GET('/api/v1/payments', { params: { query: { limit, offset } as never } }))}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string | undefined, r) => n || `#${r.hospitalId}` },
          { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('fromPrepayment'), dataIndex: 'fromPrepayment', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('fromHospital'), dataIndex: 'fromHospital', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('dueDate'), dataIndex: 'dueDate' },
          {
            title: t('status'),
            render: (_, p) =>
              p.status === 'PAID' ? (
                <Tag color={TONE.green}>{t('paid')}</Tag>
              ) : p.overdue ? (
                <Tag color={TONE.red}>{t('overdue')}</Tag>
              ) : (
                <Tag>{t('pending')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
