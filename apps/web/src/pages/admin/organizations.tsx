import { useSheetImport } from '../../components/sheet-import';
import type { Schemas } from '../../api/client';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { JobProgress } from '../../components/job-progress';
import { PagedTable } from '../../components/paged-table';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

type Org = Schemas['OrganizationDto'];

const TYPES = ['PROCUREMENT_OFFICE', 'SUPPLIER', 'HOSPITAL', 'FUND'];

export default function OrganizationsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const {
    error: importError,
    setError: setImportError,
    job,
    buttons: importButtons,
  } = useSheetImport('/api/v1/organizations/import', '/api/v1/organizations/template.xlsx', 'organizations-template.xlsx');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_organizations')}
        </Typography.Title>
      }
      extra={
        <Space>
          {importButtons}
          <Button onClick={() => void download('/api/v1/users/activation-codes.xlsx', 'activation-codes.xlsx').catch(setImportError)}>
            {t('activationCodes')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('newOrganization')}
          </Button>
        </Space>
      }
    >
      <ApiErrorView error={importError} />
      {job && <JobProgress jobId={job} title={t('import')} onDone={() => void qc.invalidateQueries({ queryKey: ['organizations'] })} />}
      <PagedTable<Org>
        queryKey={['organizations']}
        fetchPage={(limit, offset) => ok(api.GET('/api/v1/organizations', { params: { query: { limit, offset } as never } }))}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('name'), dataIndex: 'name' },
          { title: t('code'), dataIndex: 'code' },
          { title: t('type'), dataIndex: 'type', render: (v: string) => t(`orgType_${v}` as keyof Messages) },
          { title: t('level'), dataIndex: 'level', render: (v: string | null) => (v ? t(`level_${v}` as keyof Messages) : '—') },
        ]}
      />
      {creating && <NewOrg onClose={() => setCreating(false)} />}
    </Card>
  );
}

function NewOrg({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const type = Form.useWatch('type', form) as string | undefined;
  const create = useMutation({
    mutationFn: (v: { name: string; code: string; type: string; level?: string }) => ok(api.POST('/api/v1/organizations', { body: v as never })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['organizations'] });
      onClose();
    },
  });
  return (
    <Modal open title={t('newOrganization')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <ApiErrorView error={create.error} />
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ type: 'HOSPITAL', level: 'SECONDARY' }}>
        <Form.Item label={t('name')} name="name" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('code')} name="code" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('type')} name="type" rules={[{ required: true }]}>
          <Select options={TYPES.map((v) => ({ value: v, label: t(`orgType_${v}` as keyof Messages) }))} />
        </Form.Item>
        {type === 'HOSPITAL' && (
          <Form.Item label={t('level')} name="level">
            <Select options={['PRIMARY', 'SECONDARY', 'TERTIARY'].map((v) => ({ value: v, label: t(`level_${v}` as keyof Messages) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
