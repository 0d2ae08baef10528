import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth, type Role } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { Shell, homeOf } from './layout';
import { LoginPage } from './pages/login';

// Route-level code splitting: each role's pages load when first visited.
const BatchesPage = lazy(() => import('./pages/admin/batches'));
const BatchPage = lazy(() => import('./pages/admin/batch'));
const OrganizationsPage = lazy(() => import('./pages/admin/organizations'));
const UsersPage = lazy(() => import('./pages/admin/users'));
const CatalogPage = lazy(() => import('./pages/admin/catalog'));
const AuditPage = lazy(() => import('./pages/admin/audit'));
const JobsPage = lazy(() => import('./pages/admin/jobs'));
const SupplierBatchesPage = lazy(() => import('./pages/supplier/batches'));
const SupplierBatchPage = lazy(() => import('./pages/supplier/batch'));
const SupplierProductsPage = lazy(() => import('./pages/supplier/products'));
const AgreementsPage = lazy(() => import('./pages/common/agreements'));
const DeliveriesPage = lazy(() => import('./pages/common/deliveries'));
const PaymentsPage = lazy(() => import('./pages/common/payments'));
const PasswordPage = lazy(() => import('./pages/password'));
const DemandPage = lazy(() => import('./pages/hospital/demand'));
const HospitalAgreementsPage = lazy(() => import('./pages/hospital/agreements'));
const HospitalDeliveriesPage = lazy(() => import('./pages/hospital/deliveries'));
const PrepaymentsPage = lazy(() => import('./pages/common/prepayments'));
const QuotePage = lazy(() => import('./pages/hospital/quote'));
const SettlementsPage = lazy(() => import('./pages/fund/settlements'));
const FundPaymentsPage = lazy(() => import('./pages/fund/payments'));
const OrdersPage = lazy(() => import('./pages/common/orders'));
const PreferencesPage = lazy(() => import('./pages/hospital/preferences'));
const ProgressPage = lazy(() => import('./pages/execution/progress'));
const RetentionPage = lazy(() => import('./pages/execution/retention'));
const PunctualityPage = lazy(() => import('./pages/execution/punctuality'));
const HelpPage = lazy(() => import('./pages/help'));
const AdminDashboardPage = lazy(() => import('./pages/dashboards/admin'));
const SupplierDashboardPage = lazy(() => import('./pages/dashboards/supplier'));
const HospitalDashboardPage = lazy(() => import('./pages/dashboards/hospital'));
const FundDashboardPage = lazy(() => import('./pages/dashboards/fund'));

// Ant Design's look, with the primary blue and secondary greys darkened just enough that every
// text meets WCAG AA contrast (4.5:1): clerks read these pages all day.
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    borderRadius: 4,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
  },
};

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function RequireRole({ role, children }: { role?: Role; children: React.ReactNode }) {
  const { me } = useAuth();
  if (!me) return <Navigate to="/login" replace />;
  if (role && me.role !== role) return <Navigate to={homeOf(me.role)} replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useAuth();
  return <Navigate to={me ? homeOf(me.role) : '/login'} replace />;
}

function Themed() {
  const { antdLocale } = useI18n();
  return (
    <ConfigProvider locale={antdLocale} theme={THEME}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Suspense fallback={<Spin style={{ margin: 48 }} />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route
                  element={
                    <RequireRole>
                      <Shell />
                    </RequireRole>
                  }
                >
                  <Route path="/" element={<Home />} />
                  <Route path="/account/password" element={<PasswordPage />} />
                  <Route
                    path="/admin/batches"
                    element={
                      <RequireRole role="ADMIN">
                        <BatchesPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/batches/:id"
                    element={
                      <RequireRole role="ADMIN">
                        <BatchPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/organizations"
                    element={
                      <RequireRole role="ADMIN">
                        <OrganizationsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/users"
                    element={
                      <RequireRole role="ADMIN">
                        <UsersPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/catalog"
                    element={
                      <RequireRole role="ADMIN">
                        <CatalogPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/audit"
                    element={
                      <RequireRole role="ADMIN">
                        <AuditPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/jobs"
                    element={
                      <RequireRole role="ADMIN">
                        <JobsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/batches"
                    element={
                      <RequireRole role="SUPPLIER">
                        <SupplierBatchesPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/batches/:id"
                    element={
                      <RequireRole role="SUPPLIER">
                        <SupplierBatchPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/products"
                    element={
                      <RequireRole role="SUPPLIER">
                        <SupplierProductsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/agreements"
                    element={
                      <RequireRole role="SUPPLIER">
                        <AgreementsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/deliveries"
                    element={
                      <RequireRole role="SUPPLIER">
                        <DeliveriesPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/payments"
                    element={
                      <RequireRole role="SUPPLIER">
                        <PaymentsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/batches"
                    element={
                      <RequireRole role="HOSPITAL">
                        <DemandPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/agreements"
                    element={
                      <RequireRole role="HOSPITAL">
                        <HospitalAgreementsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/deliveries"
                    element={
                      <RequireRole role="HOSPITAL">
                        <HospitalDeliveriesPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/prepayments"
                    element={
                      <RequireRole role="HOSPITAL">
                        <PrepaymentsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/quote"
                    element={
                      <RequireRole role="HOSPITAL">
                        <QuotePage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/orders"
                    element={
                      <RequireRole role="HOSPITAL">
                        <OrdersPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/orders"
                    element={
                      <RequireRole role="SUPPLIER">
                        <OrdersPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/prepayments"
                    element={
                      <RequireRole role="FUND">
                        <PrepaymentsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/settlements"
                    element={
                      <RequireRole role="FUND">
                        <SettlementsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/payments"
                    element={
                      <RequireRole role="FUND">
                        <FundPaymentsPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/preferences"
                    element={
                      <RequireRole role="HOSPITAL">
                        <PreferencesPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/dashboard"
                    element={
                      <RequireRole role="ADMIN">
                        <AdminDashboardPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/dashboard"
                    element={
                      <RequireRole role="SUPPLIER">
                        <SupplierDashboardPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/dashboard"
                    element={
                      <RequireRole role="HOSPITAL">
                        <HospitalDashboardPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/dashboard"
                    element={
                      <RequireRole role="FUND">
                        <FundDashboardPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/batch-dashboard"
                    element={
                      <RequireRole role="FUND">
                        <AdminDashboardPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/progress"
                    element={
                      <RequireRole role="ADMIN">
                        <ProgressPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/progress"
                    element={
                      <RequireRole role="HOSPITAL">
                        <ProgressPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/progress"
                    element={
                      <RequireRole role="SUPPLIER">
                        <ProgressPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/progress"
                    element={
                      <RequireRole role="FUND">
                        <ProgressPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/admin/retention"
                    element={
                      <RequireRole role="ADMIN">
                        <RetentionPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/retention"
                    element={
                      <RequireRole role="HOSPITAL">
                        <RetentionPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/retention"
                    element={
                      <RequireRole role="FUND">
                        <RetentionPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/hospital/punctuality"
                    element={
                      <RequireRole role="HOSPITAL">
                        <PunctualityPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/supplier/punctuality"
                    element={
                      <RequireRole role="SUPPLIER">
                        <PunctualityPage />
                      </RequireRole>
                    }
                  />
                  <Route
                    path="/fund/punctuality"
                    element={
                      <RequireRole role="FUND">
                        <PunctualityPage />
                      </RequireRole>
                    }
                  />
                  <Route path="/help" element={<HelpPage />} />
                  <Route path="*" element={<Home />} />
                </Route>
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
