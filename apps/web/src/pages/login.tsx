import { Button, Card, Form, Input, Typography, Space } from 'antd';
import { useState } from 'react';
import { Navigate } from 'react-router';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { homeOf } from '../layout';
import { ApiErrorView } from '../components/api-error';

export function LoginPage() {
  const { login, me } = useAuth();
  const { t, lang, setLang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Once logged in (now or in an earlier visit) the user's home page; rendering the redirect
  // from the state, rather than navigating from the login promise, never races the state update.
  if (me) return <Navigate to={homeOf(me.role)} replace />;
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 400 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <div>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {t('appName')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('loginHint')}</Typography.Text>
          </div>
          <ApiErrorView error={error} />
          <Form
            layout="vertical"
            onFinish={(v: { username: string; password: string }) => {
              setBusy(true);
              setError(null);
              login(v.username, v.password)
                .catch(setError)
                .finally(() => setBusy(false));
            }}
          >
            <Form.Item label={t('username')} name="username" rules={[{ required: true }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label={t('password')} name="password" rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login')}
            </Button>
          </Form>
          <Button type="link" onClick={() => setLang(lang === 'zh-CN' ? 'en-US' : 'zh-CN')}>
            {t('language')}
          </Button>
        </Space>
      </Card>
    </main>
  );
}
