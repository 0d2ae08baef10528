import type { Schemas } from '../../api/client';
import { TONE } from '../../components/tone';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
  Upload,
  Alert,
} from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, download, ok, upload } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { JobProgress } from '../../components/job-progress';
import { StatusTag } from '../../components/status-tag';
import { countdown, formatMoney, formatQty, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';
import { ResultsView } from '../common/results';

type Item = Schemas['BatchItemDto'];
type Batch = Schemas['BatchDto'];

function useNow(ms = 30000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(h);
  }, [ms]);
  return now;
}

export function useBatch(id: number) {
  return useQuery({
    queryKey: ['batch', id],
    queryFn: () => ok(api.GET('/api/v1/batches/{id}', { params: { path: { id } } })),
  });
}

export default function BatchPage() {
  const id = Number(useParams().id);
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const now = useNow();
  const batch = useBatch(id);
  const [job, setJob] = useState<{ id: string; title: string } | null>(null);
  const [tab, setTab] = useState('overview');
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['batch', id] });
    void qc.invalidateQueries({ queryKey: ['results', id] });
    void qc.invalidateQueries({ queryKey: ['bids', id] });
    void qc.invalidateQueries({ queryKey: ['agreements', id] });
  };
  const action = useMutation({
    mutationFn: async (a: { path: string; title: string }) => {
      const res = await fetchPost(a.path);
      return { ...a, res };
    },
    onSuccess: ({ res, title }) => {
      if (res && typeof res === 'object' && 'jobId' in res) setJob({ id: String((res as { jobId: string }).jobId), title });
      else void message.success(t('success'));
      refresh();
    },
  });
  const b = batch.data;
  if (!b) return <Card loading={batch.isLoading}>{batch.error ? <ApiErrorView error={batch.error} /> : null}</Card>;
  const opened = ['OPENED', 'EVALUATED', 'AWARDED', 'ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status);
  const act = (path: string, title: string) => action.mutate({ path: `/api/v1/batches/${id}/${path}`, title });
  const openingDue = b.openingAt !== null && new Date(b.openingAt).getTime() <= now;
  const next: React.ReactNode[] = [];
  if (b.status === 'DRAFT')
    next.push(
      <Popconfirm key="publish" title={t('confirmAction', { what: t('publish') })} onConfirm={() => act('publish', t('publish'))}>
        <Button type="primary" disabled={!b.items?.length}>
          {t('publish')}
        </Button>
      </Popconfirm>,
    );
  if (['PUBLISHED', 'CLOSED'].includes(b.status))
    next.push(
      <Button
        key="open"
        type="primary"
        onClick={() => act('open', t('open'))}
        title={openingDue ? undefined : `${t('openingAt')}: ${formatTime(b.openingAt, lang)}`}
      >
        {t('open')}
      </Button>,
    );
  if (b.status === 'OPENED')
    next.push(
      <Button key="evaluate" type="primary" onClick={() => act('evaluate', t('evaluate'))}>
        {t('evaluate')}
      </Button>,
    );
  if (b.status === 'EVALUATED')
    next.push(
      <Popconfirm key="award" title={t('confirmAction', { what: t('award') })} onConfirm={() => act('award', t('award'))}>
        <Button type="primary">{t('award')}</Button>
      </Popconfirm>,
    );
  if (b.status === 'AWARDED')
    next.push(
      <Button key="allocate" type="primary" onClick={() => act('allocate', t('allocate'))}>
        {t('allocate')}
      </Button>,
    );
  if (b.status === 'ALLOCATED')
    next.push(
      <Button key="activate" type="primary" onClick={() => act('activate', t('activate'))}>
        {t('activate')}
      </Button>,
    );
  if (['DRAFT', 'PUBLISHED', 'CLOSED', 'OPENED', 'EVALUATED'].includes(b.status))
    next.push(
      <Popconfirm key="cancel" title={t('confirmAction', { what: t('cancelBatch') })} onConfirm={() => act('cancel', t('cancelBatch'))}>
        <Button danger>{t('cancelBatch')}</Button>
      </Popconfirm>,
    );
  const milestones = [
    { what: t('biddingOpensAt'), at: b.biddingOpensAt },
    { what: t('biddingClosesAt'), at: b.biddingClosesAt },
    { what: t('openingAt'), at: b.openingAt },
    { what: t('agreementStart'), at: b.agreementStart },
  ];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Space direction="vertical" size={0}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {b.name} <StatusTag status={b.status} />
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('batchCode')}: {b.code}
            </Typography.Text>
          </Space>
          <Space wrap>
            <Typography.Text strong>{t('nextStep')}:</Typography.Text>
            {next}
          </Space>
        </Space>
        {b.integrityAlarm && <Alert style={{ marginTop: 16 }} type="error" showIcon message={b.integrityAlarmReason ?? 'INTEGRITY_ALARM'} />}
        <ApiErrorView error={action.error} />
        {job && (
          <div style={{ marginTop: 16 }}>
            <JobProgress key={job.id} jobId={job.id} title={job.title} onDone={refresh} />
          </div>
        )}
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'overview',
              label: t('overview'),
              children: (
                <Space direction="vertical" style={{ width: '100%' }} size="large">
                  <Descriptions bordered size="small" column={2}>
                    {milestones.map((m) => (
                      <Descriptions.Item key={m.what} label={m.what}>
                        {formatTime(m.at, lang)}
                      </Descriptions.Item>
                    ))}
                    <Descriptions.Item label={t('agreementMonths')}>{b.agreementMonths}</Descriptions.Item>
                  </Descriptions>
                  <div>
                    <Typography.Title level={5}>{t('timeline')}</Typography.Title>
                    <Timeline
                      items={milestones.map((m) => {
                        const left = countdown(m.at, now, lang === 'zh-CN');
                        return {
                          color: left ? 'blue' : 'gray',
                          children: `${m.what}: ${formatTime(m.at, lang)} ${left ? `（${t('countdownTo', { what: m.what, left })}）` : `（${t('passed')}）`}`,
                        };
                      })}
                    />
                  </div>
                  <div>
                    <Typography.Title level={5}>{t('rules')}</Typography.Title>
                    <RulesTable rules={b.rules} />
                  </div>
                </Space>
              ),
            },
            { key: 'items', label: `${t('items')} (${b.items?.length ?? 0})`, children: <ItemsTab batch={b} onChange={refresh} /> },
            ...(b.status !== 'DRAFT' ? [{ key: 'bids', label: t('bids'), children: <BidsTab batch={b} opened={opened} /> }] : []),
            ...(b.status === 'OPENED' ? [{ key: 'scores', label: t('technicalScores'), children: <ScoresTab batch={b} /> }] : []),
            ...(['EVALUATED', 'AWARDED', 'ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status)
              ? [{ key: 'results', label: t('results'), children: <ResultsView batchId={id} items={b.items ?? []} rules={b.rules} /> }]
              : []),
            ...(['ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status)
              ? [{ key: 'agreements', label: t('agreements'), children: <AgreementsTab batchId={id} /> }]
              : []),
            ...(['ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status)
              ? [{ key: 'by-winner', label: t('byWinner'), children: <WinnersTab batchId={id} /> }]
              : []),
            ...(['ALLOCATED', 'IN_FORCE', 'COMPLETED'].includes(b.status)
              ? [{ key: 'unallocated', label: t('unallocated'), children: <UnallocatedTab batchId={id} items={b.items ?? []} /> }]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}

async function fetchPost(path: string): Promise<unknown> {
  // The lifecycle actions take no body; the typed client is used where a body is sent.
  const res = await api.POST(path as never, {} as never);
  return ok(Promise.resolve(res as { data?: unknown; error?: unknown; response: Response }));
}

function ItemsTab({ batch, onChange }: { batch: Batch; onChange: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const add = useMutation({
    mutationFn: (v: { genericName: string; dosageForm: string; strengthValue: string; strengthUnit: string; ceilingUnitPrice: string }) =>
      ok(
        api.POST('/api/v1/batches/{id}/items', {
          params: { path: { id: batch.id } },
          body: {
            genericName: v.genericName,
            dosageForm: v.dosageForm,
            representativeStrength: { value: v.strengthValue, unit: v.strengthUnit },
            ceilingUnitPrice: v.ceilingUnitPrice,
          },
        }),
      ),
    onSuccess: () => {
      form.resetFields();
      onChange();
    },
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<Item>
        rowKey="id"
        dataSource={batch.items ?? []}
        pagination={false}
        columns={[
          { title: t('id'), dataIndex: 'id', width: 80 },
          { title: t('genericName'), dataIndex: 'genericName' },
          { title: t('dosageForm'), dataIndex: 'dosageForm' },
          { title: t('representativeStrength'), render: (_, i) => `${i.representativeStrength.value} ${i.representativeStrength.unit}` },
          { title: t('ceilingUnitPrice'), dataIndex: 'ceilingUnitPrice', align: 'right', render: (v: string) => formatMoney(v) },
        ]}
      />
      {batch.status === 'DRAFT' && (
        <Card size="small" title={t('addItem')}>
          <ApiErrorView error={add.error} />
          <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)} initialValues={{ strengthUnit: 'mg' }}>
            <Form.Item name="genericName" label={t('genericName')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="dosageForm" label={t('dosageForm')} rules={[{ required: true }]}>
              <Input style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="strengthValue" label={t('representativeStrength')} rules={[{ required: true }]}>
              <Input style={{ width: 80 }} inputMode="decimal" />
            </Form.Item>
            <Form.Item name="strengthUnit" rules={[{ required: true }]}>
              <Select style={{ width: 80 }} aria-label={t('strength')} options={['mg', 'g', 'µg', 'ml', 'IU'].map((u) => ({ value: u, label: u }))} />
            </Form.Item>
            <Form.Item name="ceilingUnitPrice" label={t('ceilingUnitPrice')} rules={[{ required: true }]}>
              <Input style={{ width: 110 }} inputMode="decimal" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('addItem')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

type OpenedBid = Schemas['BidDto'];
type BidCount = Schemas['BidCountDto'];
type ScoreRow = Schemas['TechnicalScoreRowDto'];

/** A page of the batch's bids (server-paged): counts per item × group before opening, the opened bids after. */
function useBidsPage(batchId: number, page: { current: number; pageSize: number }) {
  return useQuery({
    queryKey: ['bids', batchId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/bids', {
          params: { path: { id: batchId }, query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      ),
  });
}

function BidsTab({ batch, opened }: { batch: Batch; opened: boolean }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const q = useBidsPage(batch.id, page);
  const itemName = (id: number) => batch.items?.find((i) => i.id === id)?.genericName ?? id;
  const data = q.data;
  if (!opened || (data && !('total' in data)))
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('bidCounts')}</Typography.Text>
        <Table<BidCount>
          rowKey={(r) => `${r.itemId}-${r.group}`}
          loading={q.isLoading}
          dataSource={data && !('total' in data) ? data.items : []}
          pagination={false}
          columns={[
            { title: t('item'), render: (_, r) => itemName(r.itemId) },
            { title: t('group'), dataIndex: 'group' },
            { title: t('bidCount'), dataIndex: 'count', render: (n: number) => <Statistic value={n} valueStyle={{ fontSize: 16 }} /> },
          ]}
        />
      </Space>
    );
  return (
    <Table<OpenedBid>
      rowKey="id"
      loading={q.isLoading}
      dataSource={data && 'total' in data ? data.items : []}
      scroll={{ x: 'max-content' }}
      pagination={{
        ...page,
        total: data && 'total' in data ? data.total : 0,
        showTotal: (n) => t('total', { n }),
        onChange: (current, pageSize) => setPage({ current, pageSize }),
      }}
      columns={[
        { title: t('id'), dataIndex: 'id' },
        { title: t('item'), render: (_, r) => itemName(r.itemId) },
        { title: t('group'), dataIndex: 'group' },
        { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
        { title: t('product'), render: (_, r) => (r.productName ? `${r.productName} ${r.productSpec ?? ''}` : `#${r.productId}`) },
        { title: t('packPrice'), dataIndex: 'packPrice', align: 'right', render: (v: string | null) => formatMoney(v) },
        { title: t('supplyCapacity'), dataIndex: 'supplyCapacity', align: 'right', render: (v: number | null) => formatQty(v) },
        { title: t('unitComparablePrice'), dataIndex: 'unitComparablePrice', align: 'right' },
      ]}
    />
  );
}

function ScoresTab({ batch }: { batch: Batch }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const q = useBidsPage(batch.id, page);
  // the stored scores of the same page (GET /technical-scores pages in bid id order, as /bids does within an item × group)
  const scores = useQuery({
    queryKey: ['technical-scores', batch.id],
    queryFn: () => ok(api.GET('/api/v1/batches/{id}/technical-scores', { params: { path: { id: batch.id }, query: { limit: 500 } } })),
  });
  const scoreOf = new Map<number, ScoreRow>((scores.data?.items ?? []).map((s) => [s.bidId, s]));
  const rows = q.data && 'total' in q.data ? q.data.items : [];
  const [editing, setEditing] = useState<OpenedBid | null>(null);
  const [importError, setImportError] = useState<unknown>(null);
  const [job, setJob] = useState<string | null>(null);
  const itemName = (id: number) => batch.items?.find((i) => i.id === id)?.genericName ?? id;
  const reload = () => void qc.invalidateQueries({ queryKey: ['technical-scores', batch.id] });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button
          onClick={() =>
            void download(`/api/v1/batches/${batch.id}/technical-scores/template.xlsx`, `technical-scores-${batch.code}.xlsx`).catch(setImportError)
          }
        >
          {t('template')}
        </Button>
        <Upload
          accept=".xlsx"
          showUploadList={false}
          customRequest={({ file }) => {
            setImportError(null);
            upload(`/api/v1/batches/${batch.id}/technical-scores/import`, file as File)
              .then((r) => setJob(r.jobId))
              .catch(setImportError);
          }}
        >
          <Button>{t('import')}</Button>
        </Upload>
      </Space>
      <ApiErrorView error={importError} />
      {job && (
        <JobProgress
          jobId={job}
          title={t('import')}
          onDone={() => {
            reload();
            void message.info(t('jobDone'));
          }}
        />
      )}
      <Table<OpenedBid>
        rowKey="id"
        loading={q.isLoading}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        pagination={{
          ...page,
          total: q.data && 'total' in q.data ? q.data.total : 0,
          showTotal: (n) => t('total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('item'), render: (_, r) => itemName(r.itemId) },
          { title: t('group'), dataIndex: 'group' },
          { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
          { title: t('product'), render: (_, r) => (r.productSpec ? r.productSpec : `#${r.productId}`) },
          { title: t('unitComparablePrice'), dataIndex: 'unitComparablePrice', align: 'right' },
          {
            title: t('technicalScore'),
            render: (_, r) => {
              const s = scoreOf.get(r.id)?.technicalScore;
              return s ? <Tag color={TONE.green}>{s}</Tag> : '—';
            },
          },
          {
            title: t('actions'),
            render: (_, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                {t('enterScores')}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <ScoreForm
          bid={editing}
          max={String(batch.rules.technicalWeight ?? '40')}
          onClose={(score) => {
            if (score) reload();
            setEditing(null);
          }}
        />
      )}
    </Space>
  );
}

function ScoreForm({ bid, max, onClose }: { bid: OpenedBid; max: string; onClose: (score?: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ criteria: { name: string; points: string; maxPoints: string }[] }>();
  const save = useMutation({
    mutationFn: (v: { criteria: { name: string; points: string; maxPoints: string }[] }) =>
      ok(api.PUT('/api/v1/bids/{id}/technical-score', { params: { path: { id: bid.id } }, body: { criteria: v.criteria } })),
    onSuccess: (r) => onClose(r.technicalScore),
  });
  return (
    <Modal
      open
      title={`${t('enterScores')} #${bid.id} ${bid.supplierName ?? ''}`}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={640}
    >
      <Typography.Paragraph type="secondary">
        {t('technicalScore')} ≤ {max}
      </Typography.Paragraph>
      <ApiErrorView error={save.error} />
      <Form form={form} onFinish={(v) => save.mutate(v)} initialValues={{ criteria: [{ name: '质量', points: '', maxPoints: max }] }}>
        <Form.List name="criteria">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                    <Input placeholder={t('criterionName')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'points']} rules={[{ required: true }]}>
                    <Input placeholder={t('points')} style={{ width: 100 }} inputMode="decimal" aria-label={t('points')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'maxPoints']} rules={[{ required: true }]}>
                    <Input placeholder={t('maxPoints')} style={{ width: 100 }} inputMode="decimal" aria-label={t('maxPoints')} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>−</Button>
                </Space>
              ))}
              <Button onClick={() => add({ name: '', points: '', maxPoints: '' })}>{t('addCriterion')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

type AgreementRow = Schemas['AgreementDto'];

export function AgreementsTab({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const q = useQuery({
    queryKey: ['agreements', batchId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/agreements', {
          params: { path: { id: batchId }, query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      ),
  });
  const data = q.data && 'total' in q.data ? q.data : undefined;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button onClick={() => void download(`/api/v1/batches/${batchId}/agreements.xlsx`, `agreements-${batchId}.xlsx`)}>{t('download')} .xlsx</Button>
      <Table<AgreementRow>
        rowKey="id"
        loading={q.isLoading}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ ...page, total: data?.total ?? 0, showTotal: (n) => t('total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('id'), dataIndex: 'id' },
          { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string | undefined, r) => n || `#${r.hospitalId}` },
          { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
          { title: t('product'), render: (_, r) => (r.productName ? `${r.productName} ${r.productSpec ?? ''}` : `#${r.productId}`) },
          { title: t('group'), dataIndex: 'group' },
          { title: t('units'), dataIndex: 'units', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Space>
  );
}

/** The batch's rules as a clerk reads them: each rule's name, its value, and what it means. */
function RulesTable({ rules }: { rules: Record<string, unknown> }) {
  const { t } = useI18n();
  const label = (k: string) => {
    const key = `rule_${k}` as keyof Messages;
    const s = t(key);
    return s === key ? k : `${s}（${k}）`;
  };
  const help = (k: string) => {
    const key = `rule_${k}_help` as keyof Messages;
    const s = t(key);
    return s === key ? '' : s;
  };
  const show = (v: unknown) =>
    v === null ? (
      '—'
    ) : typeof v === 'object' ? (
      <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>
        {JSON.stringify(v)}
      </Typography.Text>
    ) : (
      String(v)
    );
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={Object.entries(rules).map(([key, value]) => ({ key, value }))}
      columns={[
        { title: t('rules'), dataIndex: 'key', render: (k: string) => label(k), width: 260 },
        { title: t('value'), dataIndex: 'value', render: show },
        { title: t('message'), dataIndex: 'key', render: (k: string) => <Typography.Text type="secondary">{help(k)}</Typography.Text> },
      ]}
    />
  );
}

type UnallocatedRow = Schemas['UnallocatedDto'];

/** Agreed volume no winner could take (domain.md 7: capacity ran out or the hospital's preferences ended). */
function UnallocatedTab({ batchId, items }: { batchId: number; items: Item[] }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const q = useQuery({
    queryKey: ['unallocated', batchId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/unallocated', {
          params: { path: { id: batchId }, query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      ),
  });
  return (
    <Table<UnallocatedRow>
      rowKey={(r) => `${r.hospitalId}-${r.itemId}-${r.group}`}
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={{ ...page, total: q.data?.total ?? 0, showTotal: (n) => t('total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
      columns={[
        { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string, r) => n || `#${r.hospitalId}` },
        { title: t('item'), render: (_, r) => items.find((i) => i.id === r.itemId)?.genericName ?? r.itemId },
        { title: t('group'), dataIndex: 'group' },
        { title: t('units'), dataIndex: 'units', align: 'right', render: (v: number) => formatQty(v) },
      ]}
    />
  );
}

type WinnerRow = Schemas['WinnerSummaryDto'];

/** Agreements by winner: the API sums them per winning bid in SQL; the page shows one server page. */
function WinnersTab({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({
    queryKey: ['by-winner', batchId, page],
    queryFn: () =>
      ok(
        api.GET('/api/v1/batches/{id}/agreements/by-winner', {
          params: { path: { id: batchId }, query: { limit: page.pageSize, offset: (page.current - 1) * page.pageSize } },
        }),
      ),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text type="secondary">{t('byWinnerHelp')}</Typography.Text>
        <Button onClick={() => void download(`/api/v1/batches/${batchId}/agreements/by-winner.xlsx`, `agreements-by-winner-${batchId}.xlsx`).catch(setError)}>
          {t('download')} .xlsx
        </Button>
      </Space>
      <ApiErrorView error={q.error ?? error} />
      <Table<WinnerRow>
        rowKey="bidId"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          ...page,
          total: q.data?.total ?? 0,
          showTotal: (n) => t('total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('item'), dataIndex: 'genericName' },
          { title: t('group'), dataIndex: 'group' },
          { title: t('supplier'), dataIndex: 'supplierName' },
          { title: t('product'), dataIndex: 'productSpec' },
          { title: t('awardPrice'), dataIndex: 'awardPrice', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('hospitalsCount'), dataIndex: 'hospitals', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('agreementsCount'), dataIndex: 'agreements', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('units'), dataIndex: 'units', align: 'right', render: (v: number) => formatQty(v) },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
          { title: t('confirmedCount'), dataIndex: 'confirmed', align: 'right', render: (v: number) => formatQty(v) },
          {
            title: t('pendingCount'),
            dataIndex: 'pending',
            align: 'right',
            render: (v: number) => (v > 0 ? <Tag color={TONE.orange}>{formatQty(v)}</Tag> : formatQty(v)),
          },
          { title: t('confirmedAmount'), dataIndex: 'confirmedAmount', align: 'right', render: (v: string) => formatMoney(v) },
        ]}
      />
    </Space>
  );
}
