import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { DashChart } from '../../components/dash-chart';
import { formatMoney, formatQty } from '../../format';
import { useI18n } from '../../i18n';
import { ExportButton } from './common';

type Dashboard = Schemas['SupplierDashboardDto'];
type Month = Schemas['SupplierMonthDto'];

/** A supplier's own dashboard: agreed volume, and orders, deliveries and payments per month (the last 12 months). */
export default function SupplierDashboardPage() {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['dash', 'supplier'], queryFn: async () => (await ok(api.GET('/api/v1/dashboards/supplier', {}))) as Dashboard });
  const d = q.data;
  const months = useMemo(() => d?.months ?? [], [d]);
  const categories = useMemo(() => months.map((m) => m.month), [months]);
  const series = useMemo(
    () => [
      { name: t('dash_orderedPacks'), type: 'bar' as const, data: months.map((m) => m.orderedPacks), color: '#0958d9' },
      { name: t('dash_deliveredPacks'), type: 'bar' as const, data: months.map((m) => m.deliveredPacks), color: '#08979c' },
      { name: t('dash_acceptedAmount'), type: 'line' as const, data: months.map((m) => m.acceptedAmount), color: '#d48806', yAxisIndex: 1 as const },
      { name: t('dash_paidAmount'), type: 'line' as const, data: months.map((m) => m.paidAmount), color: '#389e0d', yAxisIndex: 1 as const },
    ],
    [months, t],
  );
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_dashboard')}
        </Typography.Title>
      }
      extra={<ExportButton path="/api/v1/dashboards/supplier.xlsx" filename="supplier-dashboard.xlsx" />}
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <Alert type="info" showIcon message={t('dash_intro_supplier')} />
        <ApiErrorView error={q.error} />
        {d && (
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('dash_agreements')} value={formatQty(d.agreements)} />
            </Col>
            <Col span={6}>
              <Statistic title={t('dash_units')} value={formatQty(d.agreedUnits)} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('dash_agreedAmount')}
                value={formatMoney(d.agreedAmount)}
                valueRender={(v) => <span data-testid="dash-agreed-amount">{v}</span>}
              />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('dash_paidAmount')}
                value={formatMoney(d.totals.paidAmount)}
                valueRender={(v) => <span data-testid="dash-paid-amount">{v}</span>}
              />
            </Col>
          </Row>
        )}
        {d && (
          <DashChart
            label={t('dash_chart', { title: t('dash_months') })}
            categories={categories}
            series={series}
            firstAxis={t('dash_packs')}
            secondAxis={t('dash_money')}
          />
        )}
        <Table<Month>
          size="small"
          data-testid="dash-supplier-months"
          rowKey="month"
          loading={q.isLoading}
          dataSource={d ? [...d.months, { ...d.totals, month: t('dash_total') }] : []}
          scroll={{ x: 'max-content' }}
          pagination={false}
          columns={[
            { title: t('dash_month'), dataIndex: 'month' },
            { title: t('dash_orders'), dataIndex: 'orders', align: 'right' },
            { title: t('dash_orderedPacks'), dataIndex: 'orderedPacks', align: 'right', render: (n: number) => formatQty(n) },
            { title: t('dash_deliveries'), dataIndex: 'deliveries', align: 'right' },
            { title: t('dash_deliveredPacks'), dataIndex: 'deliveredPacks', align: 'right', render: (n: number) => formatQty(n) },
            { title: t('dash_acceptedAmount'), dataIndex: 'acceptedAmount', align: 'right', render: (v: string) => formatMoney(v) },
            { title: t('dash_payments'), dataIndex: 'payments', align: 'right' },
            { title: t('dash_paidAmount'), dataIndex: 'paidAmount', align: 'right', render: (v: string) => formatMoney(v) },
          ]}
        />
      </Space>
    </Card>
  );
}
