import {
  AuditOutlined,
  ShoppingCartOutlined,
  BankOutlined,
  DollarOutlined,
  FileTextOutlined,
  LogoutOutlined,
  MedicineBoxOutlined,
  ShopOutlined,
  TeamOutlined,
  TranslationOutlined,
  TruckOutlined,
  UserOutlined,
  KeyOutlined,
  CalculatorOutlined,
  FundOutlined,
  OrderedListOutlined,
  LineChartOutlined,
  PieChartOutlined,
  ClockCircleOutlined,
  QuestionCircleOutlined,
  ClusterOutlined,
  DashboardOutlined,
} from '@ant-design/icons';
import { Layout, Menu, Dropdown, Space, Typography, Button, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth, type Role } from './auth';
import { useI18n } from './i18n';
import { timeZone } from './format';
import { NotificationBell } from './components/notification-bell';
import type { Messages } from './messages';

interface MenuEntry {
  path: string;
  label: keyof Messages;
  icon: ReactNode;
}

/** A side menu per role (Ant Design Pro's shape): each role sees only its own work. */
export const MENUS: Record<Role, MenuEntry[]> = {
  ADMIN: [
    { path: '/admin/batches', label: 'menu_batches', icon: <FileTextOutlined /> },
    { path: '/admin/catalog', label: 'menu_catalog', icon: <MedicineBoxOutlined /> },
    { path: '/admin/organizations', label: 'menu_organizations', icon: <BankOutlined /> },
    { path: '/admin/users', label: 'menu_users', icon: <TeamOutlined /> },
    { path: '/admin/audit', label: 'menu_audit', icon: <AuditOutlined /> },
    { path: '/admin/progress', label: 'menu_progress', icon: <LineChartOutlined /> },
    { path: '/admin/retention', label: 'menu_retention', icon: <PieChartOutlined /> },
    { path: '/admin/jobs', label: 'menu_jobs', icon: <ClusterOutlined /> },
    { path: '/admin/dashboard', label: 'menu_dashboard', icon: <DashboardOutlined /> },
    { path: '/help', label: 'menu_help', icon: <QuestionCircleOutlined /> },
  ],
  SUPPLIER: [
    { path: '/supplier/batches', label: 'menu_bidding', icon: <FileTextOutlined /> },
    { path: '/supplier/products', label: 'menu_products', icon: <MedicineBoxOutlined /> },
    { path: '/supplier/agreements', label: 'menu_agreements', icon: <ShopOutlined /> },
    { path: '/supplier/orders', label: 'menu_orders', icon: <ShoppingCartOutlined /> },
    { path: '/supplier/deliveries', label: 'menu_deliveries', icon: <TruckOutlined /> },
    { path: '/supplier/payments', label: 'menu_payments', icon: <DollarOutlined /> },
    { path: '/supplier/progress', label: 'menu_progress', icon: <LineChartOutlined /> },
    { path: '/supplier/punctuality', label: 'menu_punctuality', icon: <ClockCircleOutlined /> },
    { path: '/supplier/dashboard', label: 'menu_dashboard', icon: <DashboardOutlined /> },
    { path: '/help', label: 'menu_help', icon: <QuestionCircleOutlined /> },
  ],
  HOSPITAL: [
    { path: '/hospital/batches', label: 'menu_demand', icon: <FileTextOutlined /> },
    { path: '/hospital/preferences', label: 'menu_preferences', icon: <OrderedListOutlined /> },
    { path: '/hospital/agreements', label: 'menu_agreements', icon: <ShopOutlined /> },
    { path: '/hospital/orders', label: 'menu_orders', icon: <ShoppingCartOutlined /> },
    { path: '/hospital/deliveries', label: 'menu_deliveries', icon: <TruckOutlined /> },
    { path: '/hospital/prepayments', label: 'menu_prepayments', icon: <FundOutlined /> },
    { path: '/hospital/quote', label: 'menu_quote', icon: <CalculatorOutlined /> },
    { path: '/hospital/progress', label: 'menu_progress', icon: <LineChartOutlined /> },
    { path: '/hospital/retention', label: 'menu_retention', icon: <PieChartOutlined /> },
    { path: '/hospital/punctuality', label: 'menu_punctuality', icon: <ClockCircleOutlined /> },
    { path: '/hospital/dashboard', label: 'menu_dashboard', icon: <DashboardOutlined /> },
    { path: '/help', label: 'menu_help', icon: <QuestionCircleOutlined /> },
  ],
  FUND: [
    { path: '/fund/prepayments', label: 'menu_prepayments', icon: <FundOutlined /> },
    { path: '/fund/settlements', label: 'menu_settlements', icon: <DollarOutlined /> },
    { path: '/fund/payments', label: 'menu_payments', icon: <DollarOutlined /> },
    { path: '/fund/progress', label: 'menu_progress', icon: <LineChartOutlined /> },
    { path: '/fund/retention', label: 'menu_retention', icon: <PieChartOutlined /> },
    { path: '/fund/punctuality', label: 'menu_punctuality', icon: <ClockCircleOutlined /> },
    { path: '/fund/dashboard', label: 'menu_dashboard', icon: <DashboardOutlined /> },
    { path: '/fund/batch-dashboard', label: 'menu_batchDashboard', icon: <DashboardOutlined /> },
    { path: '/help', label: 'menu_help', icon: <QuestionCircleOutlined /> },
  ],
};

export function homeOf(role: Role): string {
  return MENUS[role][0].path;
}

export function Shell() {
  const { me, logout } = useAuth();
  const { t, lang, setLang } = useI18n();
  const loc = useLocation();
  const nav = useNavigate();
  if (!me) return null;
  const entries = MENUS[me.role];
  const selected = entries.filter((e) => loc.pathname.startsWith(e.path)).map((e) => e.path);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={0} theme="dark">
        <div style={{ height: 56, display: 'flex', alignItems: 'center', padding: '0 20px' }}>
          <Typography.Text strong style={{ color: '#fff', fontSize: 16 }}>
            {t('appShort')}
          </Typography.Text>
        </div>
        <nav aria-label={t('appShort')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected}
            items={entries.map((e) => ({ key: e.path, icon: e.icon, label: <Link to={e.path}>{t(e.label)}</Link> }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('appName')}
          </Typography.Title>
          <Space size="middle">
            <Typography.Text type="secondary">
              {t('timeZone')}: {timeZone}
            </Typography.Text>
            <NotificationBell />
            <Button icon={<TranslationOutlined />} onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
              {t('language')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('changePassword'), onClick: () => void nav('/account/password') },
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: t('logout'),
                    onClick: () => {
                      void logout().then(() => nav('/login'));
                    },
                  },
                ],
              }}
            >
              <Button icon={<UserOutlined />} data-testid="user-menu">
                {me.username}
                {me.organizationName ? ` · ${me.organizationName}` : ''} <Tag style={{ marginLeft: 8 }}>{t(`role_${me.role}` as keyof Messages)}</Tag>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
