import { Card, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { PagedTable } from '../../components/paged-table';
import { type Payment, paymentColumns } from '../../components/payment-columns';
import { useI18n } from '../../i18n';

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
        columns={paymentColumns(t)}
      />
    </Card>
  );
}
