import type { Schemas } from '../../api/client';
import { TONE } from '../../components/tone';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { PagedTable } from '../../components/paged-table';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

type User = Schemas['AccountDto'];

export default function UsersPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const toggle = useMutation({
    mutationFn: (u: User) => ok(api.PATCH('/api/v1/users/{id}' as never, { params: { path: { id: u.id } }, body: { disabled: !u.disabled } } as never)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_users')}
        </Typography.Title>
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('newUser')}
        </Button>
      }
    >
      <ApiErrorView error={toggle.error} />
      <PagedTable<User>
        queryKey={['users']}
        fetchPage={(limit, offset) => ok(api.GET('/api/v1/users' as never, { params: { query: { limit, offset } } } as never))}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('username'), dataIndex: 'username' },
          { title: t('organization'), dataIndex: 'organizationId' },
          { title: t('type'), dataIndex: 'role', render: (v: string) => t(`role_${v}` as keyof Messages) },
          {
            title: t('status'),
            dataIndex: 'disabled',
            render: (v: boolean) => (v ? <Tag color={TONE.red}>{t('disabled')}</Tag> : <Tag color={TONE.green}>{t('active')}</Tag>),
          },
          {
            title: t('actions'),
            render: (_, u) => (
              <Button size="small" danger={!u.disabled} onClick={() => toggle.mutate(u)}>
                {u.disabled ? t('enable') : t('disable')}
              </Button>
            ),
          },
        ]}
      />
      {creating && <NewUser onClose={() => setCreating(false)} />}
    </Card>
  );
}

function NewUser({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const orgs = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => ok(api.GET('/api/v1/organizations', { params: { query: { limit: 500 } as never } })),
  });
  const list = ((orgs.data as unknown as { items?: { id: number; name: string; type: string }[] })?.items ?? []) as {
    id: number;
    name: string;
    type: string;
  }[];
  const create = useMutation({
    mutationFn: (v: { username: string; password: string; organizationId: number }) => ok(api.POST('/api/v1/users', { body: v as never })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
  });
  return (
    <Modal open title={t('newUser')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <ApiErrorView error={create.error} />
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item label={t('organization')} name="organizationId" rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={list.map((o) => ({ value: o.id, label: `${o.name}（${t(`orgType_${o.type}` as keyof Messages)}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('username')} name="username" rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('password')} name="password" rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
