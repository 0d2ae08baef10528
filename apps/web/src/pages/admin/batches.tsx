import type { Schemas } from '../../api/client';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Table, Typography, Collapse } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { StatusTag } from '../../components/status-tag';
import { formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';
import { RULE_FIELD_DEFAULTS, RuleControls, rulesOfFields, type RuleFields } from './rules-form';

type BatchRow = Schemas['BatchDto'];

/** The simple (scalar) rules with their defaults (domain.md section 13) and an explanation each; the gates and section 15's rules have their own controls (rules-form.tsx). */
export const SCALAR_RULES: { key: string; def: string | number | null; kind: 'decimal' | 'int' | 'basis' }[] = [
  { key: 'priceWeight', def: '60', kind: 'decimal' },
  { key: 'technicalWeight', def: '40', kind: 'decimal' },
  { key: 'strengthRatioCoefficient', def: '1.7', kind: 'decimal' },
  { key: 'prepaymentRatio', def: '0.30', kind: 'decimal' },
  { key: 'standardBasis', def: 'ITEM_HIGHEST', kind: 'basis' },
  { key: 'paymentTermDays', def: 30, kind: 'int' },
  { key: 'confirmationDays', def: 7, kind: 'int' },
];

/** The table rules of domain.md section 13 with their defaults, shown for editing as JSON. */
const TABLE_RULE_DEFAULTS = {
  groups: { A: ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] },
  maxWinners: [
    { minBids: 1, winners: 1 },
    { minBids: 2, winners: 2 },
    { minBids: 4, winners: 3 },
    { minBids: 6, winners: 4 },
  ],
  agreedVolumeRatio: [
    { winners: 1, ratio: '0.50' },
    { winners: 2, ratio: '0.60' },
    { winners: 3, ratio: '0.70' },
    { winners: 4, ratio: '0.80' },
  ],
};

export default function BatchesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const q = useQuery({
    queryKey: ['batches', page],
    queryFn: () => ok(api.GET('/api/v1/batches', { params: { query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } } })),
  });
  const data = q.data as unknown as { items: BatchRow[]; total: number } | undefined;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_batches')}
        </Typography.Title>
      }
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('newBatch')}
        </Button>
      }
    >
      <ApiErrorView error={q.error} />
      <Table<BatchRow>
        locale={{ emptyText: <NextStep text="next_adminBatches" to="/admin/organizations" link="menu_organizations" /> }}
        rowKey="id"
        loading={q.isLoading}
        dataSource={data?.items ?? []}
        pagination={{ ...page, total: data?.total ?? 0, showTotal: (n) => t('total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('batchCode'), dataIndex: 'code', render: (code: string, b) => <Link to={`/admin/batches/${b.id}`}>{code}</Link> },
          { title: t('batchName'), dataIndex: 'name' },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('biddingClosesAt'), dataIndex: 'biddingClosesAt', render: (v: string) => formatTime(v, lang) },
          { title: t('openingAt'), dataIndex: 'openingAt', render: (v: string) => formatTime(v, lang) },
        ]}
      />
      {creating && <CreateBatch onClose={() => setCreating(false)} />}
    </Card>
  );
}

function CreateBatch({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (v: Record<string, unknown>) => ok(api.POST('/api/v1/batches', { body: v as never })),
    onSuccess: (b) => {
      void qc.invalidateQueries({ queryKey: ['batches'] });
      void message.success(t('success'));
      void nav(`/admin/batches/${(b as unknown as { id: number }).id}`);
    },
  });
  const submit = (v: Record<string, unknown>) => {
    const rules: Record<string, unknown> = {};
    for (const r of SCALAR_RULES) {
      const val = v[`rule_${r.key}`];
      if (val === undefined || val === '') continue;
      rules[r.key] = r.kind === 'int' ? Number(val) : String(val);
    }
    // the rules panel may never have been opened: its fields then keep their initial values (the defaults)
    Object.assign(rules, rulesOfFields({ ...RULE_FIELD_DEFAULTS, ...(form.getFieldsValue(true) as Partial<RuleFields>) }));
    // the table rules (and any other rule of domain.md) as JSON; the fields above win over it
    const text = typeof v.rulesJson === 'string' ? v.rulesJson.trim() : '';
    if (text) Object.assign(rules, { ...(JSON.parse(text) as Record<string, unknown>), ...rules });
    const iso = (d: Dayjs) => d.toDate().toISOString();
    create.mutate({
      code: v.code,
      name: v.name,
      biddingOpensAt: iso(v.biddingOpensAt as Dayjs),
      biddingClosesAt: iso(v.biddingClosesAt as Dayjs),
      openingAt: iso(v.openingAt as Dayjs),
      agreementStart: (v.agreementStart as Dayjs).format('YYYY-MM-DD'),
      agreementMonths: v.agreementMonths,
      rules,
    });
  };
  const now = dayjs();
  return (
    <Modal open title={t('newBatch')} width={760} onCancel={onClose} onOk={() => form.submit()} okText={t('create')} confirmLoading={create.isPending}>
      <ApiErrorView error={create.error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          biddingOpensAt: now.add(1, 'hour').startOf('hour'),
          biddingClosesAt: now.add(8, 'day').startOf('hour'),
          openingAt: now.add(8, 'day').startOf('hour').add(1, 'hour'),
          agreementStart: now.add(2, 'month').startOf('month'),
          agreementMonths: 12,
          rulesJson: JSON.stringify(TABLE_RULE_DEFAULTS, null, 2),
          ...RULE_FIELD_DEFAULTS,
        }}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item label={t('batchCode')} name="code" rules={[{ required: true }]}>
              <Input placeholder="JC-2027-01" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label={t('batchName')} name="name" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('biddingOpensAt')} name="biddingOpensAt" rules={[{ required: true }]}>
              <DatePicker showTime style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('biddingClosesAt')} name="biddingClosesAt" rules={[{ required: true }]}>
              <DatePicker showTime style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('openingAt')} name="openingAt" rules={[{ required: true }]}>
              <DatePicker showTime style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('agreementStart')} name="agreementStart" rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('agreementMonths')} name="agreementMonths" rules={[{ required: true }]}>
              <Select options={[12, 24, 36].map((m) => ({ value: m, label: m }))} />
            </Form.Item>
          </Col>
        </Row>
        <Collapse
          items={[
            {
              key: 'round',
              label: `${t('rulesRound')} — ${t('rulesDefaultsNote')}`,
              children: <RuleControls form={form} />,
            },
            {
              key: 'rules',
              label: `${t('rulesMoney')} — ${t('rulesDefaultsNote')}`,
              children: (
                <Row gutter={16}>
                  {SCALAR_RULES.map((r) => (
                    <Col span={12} key={r.key}>
                      <Form.Item
                        label={t(`rule_${r.key}` as keyof Messages)}
                        name={`rule_${r.key}`}
                        tooltip={t(`rule_${r.key}_help` as keyof Messages)}
                        extra={t(`rule_${r.key}_help` as keyof Messages)}
                      >
                        {r.kind === 'basis' ? (
                          <Select allowClear placeholder={String(r.def)} options={['ITEM_HIGHEST', 'GROUP_HIGHEST'].map((v) => ({ value: v, label: v }))} />
                        ) : r.kind === 'int' ? (
                          <InputNumber min={1} precision={0} placeholder={String(r.def)} style={{ width: '100%' }} />
                        ) : (
                          <Input placeholder={String(r.def)} inputMode="decimal" />
                        )}
                      </Form.Item>
                    </Col>
                  ))}
                  <Col span={24}>
                    <Form.Item
                      label={t('rule_tables')}
                      name="rulesJson"
                      extra={t('rule_tables_help')}
                      rules={[
                        {
                          validator: (_, value?: string) => {
                            if (!value || !value.trim()) return Promise.resolve();
                            try {
                              const parsed: unknown = JSON.parse(value);
                              return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
                                ? Promise.resolve()
                                : Promise.reject(new Error(t('rule_tables_invalid')));
                            } catch {
                              return Promise.reject(new Error(t('rule_tables_invalid')));
                            }
                          },
                        },
                      ]}
                    >
                      <Input.TextArea rows={8} spellCheck={false} style={{ fontFamily: 'monospace' }} />
                    </Form.Item>
                  </Col>
                </Row>
              ),
            },
          ]}
        />
      </Form>
    </Modal>
  );
}
