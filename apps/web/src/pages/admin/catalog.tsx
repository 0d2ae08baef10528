import { useSheetImport } from '../../components/sheet-import';
import type { Schemas } from '../../api/client';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { JobProgress } from '../../components/job-progress';
import { PagedTable } from '../../components/paged-table';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

type Product = Schemas['ProductDto'];
const TIERS = ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'];

export default function CatalogPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [genericName, setGenericName] = useState('');
  const [creating, setCreating] = useState(false);
  const {
    error: importError,
    job,
    buttons: importButtons,
  } = useSheetImport('/api/v1/catalog/products/import', '/api/v1/catalog/products/template.xlsx', 'products-template.xlsx');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_catalog')}
        </Typography.Title>
      }
      extra={
        <Space>
          {importButtons}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('newProduct')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <ApiErrorView error={importError} />
        {job && <JobProgress jobId={job} title={t('import')} onDone={() => void qc.invalidateQueries({ queryKey: ['products'] })} />}
        <Input.Search
          placeholder={t('genericName')}
          allowClear
          enterButton={t('search')}
          onSearch={setGenericName}
          style={{ maxWidth: 360 }}
          aria-label={t('genericName')}
        />
        <PagedTable<Product>
          emptyText={<NextStep text="next_catalog" to="/admin/organizations" link="menu_organizations" />}
          queryKey={['products', genericName]}
          fetchPage={(limit, offset) =>
            ok(api.GET('/api/v1/catalog/products', { params: { query: { genericName: genericName || undefined, limit, offset } as never } }))
          }
          columns={[
            { title: t('id'), dataIndex: 'id' },
            { title: t('genericName'), dataIndex: 'genericName' },
            { title: t('dosageForm'), dataIndex: 'dosageForm' },
            { title: t('strength'), render: (_, p) => `${p.strength.value} ${p.strength.unit}` },
            { title: t('packSize'), render: (_, p) => `${p.packSize} ${p.smallestUnit}` },
            { title: t('qualityTier'), dataIndex: 'qualityTier', render: (v: string) => t(`tier_${v}` as keyof Messages) },
            { title: t('supplier'), dataIndex: 'supplierId' },
            { title: t('approvalNumber'), dataIndex: 'approvalNumber' },
          ]}
        />
      </Space>
      {creating && <NewProduct onClose={() => setCreating(false)} />}
    </Card>
  );
}

function NewProduct({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const orgs = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => ok(api.GET('/api/v1/organizations', { params: { query: { limit: 500 } as never } })),
  });
  const suppliers = (
    ((orgs.data as unknown as { items?: { id: number; name: string; type: string }[] })?.items ?? []) as { id: number; name: string; type: string }[]
  ).filter((o) => o.type === 'SUPPLIER');
  const create = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      ok(
        api.POST('/api/v1/catalog/products', {
          body: {
            genericName: v.genericName,
            dosageForm: v.dosageForm,
            strength: { value: v.strengthValue, unit: v.strengthUnit },
            packSize: v.packSize,
            smallestUnit: v.smallestUnit,
            qualityTier: v.qualityTier,
            supplierId: v.supplierId,
            approvalNumber: v.approvalNumber,
          } as never,
        }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['products'] });
      onClose();
    },
  });
  return (
    <Modal open title={t('newProduct')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} width={640}>
      <ApiErrorView error={create.error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v)}
        initialValues={{ strengthUnit: 'mg', smallestUnit: '片', qualityTier: 'CONSISTENCY_PASSED' }}
      >
        <Form.Item label={t('supplier')} name="supplierId" rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={suppliers.map((o) => ({ value: o.id, label: o.name }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t('genericName')} name="genericName" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('dosageForm')} name="dosageForm" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('strength')} name="strengthValue" rules={[{ required: true }]}>
            <Input style={{ width: 90 }} inputMode="decimal" />
          </Form.Item>
          <Form.Item label=" " name="strengthUnit">
            <Select style={{ width: 80 }} options={['mg', 'g', 'µg', 'ml', 'IU'].map((u) => ({ value: u, label: u }))} aria-label={t('strength')} />
          </Form.Item>
          <Form.Item label={t('packSize')} name="packSize" rules={[{ required: true }]}>
            <InputNumber min={1} precision={0} />
          </Form.Item>
          <Form.Item label={t('smallestUnit')} name="smallestUnit" rules={[{ required: true }]}>
            <Input style={{ width: 80 }} />
          </Form.Item>
        </Space>
        <Form.Item label={t('qualityTier')} name="qualityTier" rules={[{ required: true }]}>
          <Select options={TIERS.map((v) => ({ value: v, label: t(`tier_${v}` as keyof Messages) }))} />
        </Form.Item>
        <Form.Item label={t('approvalNumber')} name="approvalNumber" rules={[{ required: true }]}>
          <Input placeholder="国药准字H20000001" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
