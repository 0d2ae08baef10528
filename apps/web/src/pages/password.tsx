import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { useAuth } from '../auth';
import { ApiErrorView } from '../components/api-error';
import { useI18n } from '../i18n';

export default function PasswordPage() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const nav = useNavigate();
  const [error, setError] = useState<unknown>(null);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('changePassword')}
        </Typography.Title>
      }
      style={{ maxWidth: 480 }}
    >
      <ApiErrorView error={error} />
      <Form
        layout="vertical"
        onFinish={(v: { currentPassword: string; newPassword: string }) => {
          setError(null);
          ok(api.POST('/api/v1/auth/password' as never, { body: v } as never))
            .then(() => logout())
            .then(() => nav('/login'))
            .catch(setError);
        }}
      >
        <Form.Item label={t('currentPassword')} name="currentPassword" rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('newPassword')} name="newPassword" rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('save')}
        </Button>
      </Form>
    </Card>
  );
}
