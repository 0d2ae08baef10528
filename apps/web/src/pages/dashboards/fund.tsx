import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { DashChart } from '../../components/dash-chart';
import { formatMoney } from '../../format';
import { useI18n } from '../../i18n';
import { ExportButton } from './common';

type PrepaidSettled = Schemas['FundPrepaidSettledDto'];
type FundMonth = Schemas['FundMonthDto'];
type ByWeek = Schemas['PaymentsByWeekDto'];
type Week = Schemas['PaymentsWeekDto'];

const money = (v: string) => formatMoney(v);

/** The fund's dashboard: prepaid against settled per month, payments due and overdue per week. */
export default function FundDashboardPage() {
  const { t } = useI18n();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_dashboard')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <Alert type="info" showIcon message={t('dash_intro_fund')} />
        <PrepaidSettledCard />
        <PaymentsByWeekCard />
      </Space>
    </Card>
  );
}

function PrepaidSettledCard() {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'prepaid-settled'],
    queryFn: async () => (await ok(api.GET('/api/v1/dashboards/fund/prepaid-settled', {}))) as PrepaidSettled,
  });
  const d = q.data;
  const months = useMemo(() => d?.months ?? [], [d]);
  const categories = useMemo(() => months.map((m) => m.month), [months]);
  const series = useMemo(
    () => [
      { name: t('dash_disbursed'), type: 'bar' as const, data: months.map((m) => m.disbursed), color: '#0958d9' },
      { name: t('dash_fromPrepayment'), type: 'bar' as const, data: months.map((m) => m.fromPrepayment), stack: 'settled', color: '#d48806' },
      { name: t('dash_fromHospital'), type: 'bar' as const, data: months.map((m) => m.fromHospital), stack: 'settled', color: '#389e0d' },
    ],
    [months, t],
  );
  return (
    <Card
      type="inner"
      title={t('dash_prepaidSettled')}
      extra={<ExportButton path="/api/v1/dashboards/fund/prepaid-settled.xlsx" filename="fund-prepaid-settled.xlsx" />}
    >
      <ApiErrorView error={q.error} />
      {d && <DashChart label={t('dash_chart', { title: t('dash_prepaidSettled') })} categories={categories} series={series} />}
      <Table<FundMonth>
        size="small"
        data-testid="dash-fund-months"
        rowKey="month"
        loading={q.isLoading}
        dataSource={d ? [...d.months, { ...d.totals, month: t('dash_total') }] : []}
        scroll={{ x: 'max-content' }}
        pagination={false}
        columns={[
          { title: t('dash_month'), dataIndex: 'month' },
          { title: t('dash_disbursed'), dataIndex: 'disbursed', align: 'right', render: money },
          { title: t('dash_recovered'), dataIndex: 'recovered', align: 'right', render: money },
          { title: t('dash_settled'), dataIndex: 'settled', align: 'right', render: money },
          { title: t('dash_fromPrepayment'), dataIndex: 'fromPrepayment', align: 'right', render: money },
          { title: t('dash_fromHospital'), dataIndex: 'fromHospital', align: 'right', render: money },
        ]}
      />
    </Card>
  );
}

function PaymentsByWeekCard() {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['dash', 'payments-by-week'],
    queryFn: async () => (await ok(api.GET('/api/v1/dashboards/fund/payments-by-week', {}))) as ByWeek,
  });
  const d = q.data;
  const weeks = useMemo(() => d?.weeks ?? [], [d]);
  const categories = useMemo(() => weeks.map((w) => w.week.slice(5)), [weeks]);
  const series = useMemo(
    () => [
      { name: t('dash_paidOnTime'), type: 'bar' as const, data: weeks.map((w) => w.paidOnTime), stack: 'due', color: '#389e0d' },
      { name: t('dash_paidLate'), type: 'bar' as const, data: weeks.map((w) => w.paidLate), stack: 'due', color: '#d48806' },
      { name: t('dash_overdue'), type: 'bar' as const, data: weeks.map((w) => w.overdue), stack: 'due', color: '#cf1322' },
      { name: t('dash_pending'), type: 'bar' as const, data: weeks.map((w) => w.pending), stack: 'due', color: '#8c8c8c' },
    ],
    [weeks, t],
  );
  return (
    <Card
      type="inner"
      title={t('dash_paymentsByWeek')}
      extra={<ExportButton path="/api/v1/dashboards/fund/payments-by-week.xlsx" filename="fund-payments-by-week.xlsx" />}
    >
      <ApiErrorView error={q.error} />
      {d && <DashChart label={t('dash_chart', { title: t('dash_paymentsByWeek') })} categories={categories} series={series} />}
      <Table<Week>
        size="small"
        data-testid="dash-fund-weeks"
        rowKey="week"
        loading={q.isLoading}
        dataSource={d ? [...d.weeks, { ...d.totals, week: t('dash_total') }] : []}
        scroll={{ x: 'max-content' }}
        pagination={false}
        columns={[
          { title: t('dash_week'), dataIndex: 'week' },
          { title: t('dash_instructions'), dataIndex: 'instructions', align: 'right' },
          { title: t('dash_due'), dataIndex: 'due', align: 'right', render: money },
          { title: t('dash_paidOnTime'), dataIndex: 'paidOnTime', align: 'right', render: money },
          { title: t('dash_paidLate'), dataIndex: 'paidLate', align: 'right', render: money },
          { title: t('dash_overdue'), dataIndex: 'overdue', align: 'right', render: money },
          { title: t('dash_pending'), dataIndex: 'pending', align: 'right', render: money },
        ]}
      />
    </Card>
  );
}
