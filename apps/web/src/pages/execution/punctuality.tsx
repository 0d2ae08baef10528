import type { Schemas } from '../../api/client';
import { Alert, Card, Empty, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { PagedTable } from '../../components/paged-table';
import { formatMoney } from '../../format';
import { useI18n } from '../../i18n';

type Row = Schemas['OverdueReportRowDto'];

/**
 * Payment punctuality (GET /payments/overdue-report): per hospital or per firm, what is overdue
 * now (count, amount, the oldest's days) and what was paid late. The fund sees everyone; a
 * hospital or a firm sees its own line.
 */
export default function PunctualityPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [by, setBy] = useState<'hospital' | 'supplier'>(me?.role === 'SUPPLIER' ? 'supplier' : 'hospital');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_punctuality')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <Alert type="info" showIcon message={t('pun_intro')} />
        {me?.role === 'FUND' && (
          <Segmented
            aria-label={t('menu_punctuality')}
            value={by}
            onChange={(v) => setBy(v as 'hospital' | 'supplier')}
            options={[
              { value: 'hospital', label: t('pun_byHospital') },
              { value: 'supplier', label: t('pun_bySupplier') },
            ]}
          />
        )}
        <PagedTable<Row>
          queryKey={['overdue-report', by]}
          rowKey={by === 'hospital' ? 'hospitalId' : 'supplierId'}
          emptyText={<Empty description={t('pun_empty')} />}
          fetchPage={(limit, offset) => ok(api.GET('/api/v1/payments/overdue-report', { params: { query: { by, limit, offset } } }))}
          columns={[
            by === 'hospital' ? { title: t('hospital'), dataIndex: 'name' } : { title: t('supplier'), dataIndex: 'name' },
            { title: t('pun_overdueCount'), dataIndex: 'overdueCount', align: 'right' },
            { title: t('pun_overdueAmount'), dataIndex: 'overdueAmount', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('pun_maxDays'), dataIndex: 'maxDaysOverdue', align: 'right' },
            { title: t('pun_paidLate'), dataIndex: 'paidLateCount', align: 'right' },
            { title: t('pun_avgDaysLate'), dataIndex: 'averageDaysLate', align: 'right', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Space>
    </Card>
  );
}
