import type { Schemas } from '../../api/client';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, InputNumber, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, download, ok, upload } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { BatchSelect } from '../../components/batch-select';
import { JobProgress } from '../../components/job-progress';
import { TONE } from '../../components/tone';
import { countdown, formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import { useBatch } from '../admin/batch';

type DemandRow = Schemas['DemandDto'];

/**
 * A hospital's annual demand per item × group (domain.md 6), editable until bidding closes:
 * one row per item and group of the batch, saved cell by cell, or uploaded as a sheet.
 */
export default function DemandPage() {
  const { t } = useI18n();
  const [batchId, setBatchId] = useState<number>();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_demand')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        <BatchSelect value={batchId} onChange={setBatchId} statuses={['PUBLISHED', 'CLOSED', 'OPENED', 'EVALUATED', 'AWARDED', 'ALLOCATED', 'IN_FORCE']} />
        {batchId ? <DemandTable batchId={batchId} /> : <NextStep text="next_demand" />}
      </Space>
    </Card>
  );
}

function DemandTable({ batchId }: { batchId: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const batch = useBatch(batchId);
  const demand = useQuery({
    queryKey: ['demand', batchId],
    queryFn: () => ok(api.GET('/api/v1/batches/{id}/demand', { params: { path: { id: batchId }, query: { limit: 500 } as never } })),
  });
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [importError, setImportError] = useState<unknown>(null);
  const [job, setJob] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async (rows: { itemId: number; group: string; quantity: number }[]) => {
      for (const r of rows)
        await ok(
          api.PUT('/api/v1/batches/{id}/items/{itemId}/demand', {
            params: { path: { id: batchId, itemId: r.itemId } },
            body: { group: r.group, quantity: r.quantity },
          }),
        );
    },
    onSuccess: () => {
      setEdits({});
      void message.success(t('success'));
      void qc.invalidateQueries({ queryKey: ['demand', batchId] });
    },
  });
  const b = batch.data;
  if (!b) return null;
  const stored = ((demand.data as unknown as { items?: DemandRow[] })?.items ?? []) as DemandRow[];
  const groups = Object.keys((b.rules.groups as Record<string, string[]>) ?? { A: [], B: [] });
  const rows = (b.items ?? []).flatMap((i) =>
    groups.map((g) => ({ key: `${i.id}-${g}`, item: i, group: g, quantity: stored.find((d) => d.itemId === i.id && d.group === g)?.quantity ?? null })),
  );
  const editable = b.status === 'PUBLISHED';
  const left = countdown(b.biddingClosesAt, Date.now(), lang === 'zh-CN');
  const pending = Object.entries(edits).filter(([, v]) => v !== null) as [string, number][];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type={editable ? 'info' : 'warning'}
        showIcon
        message={
          editable
            ? `${t('biddingClosesAt')}: ${formatTime(b.biddingClosesAt, lang)}${left ? `（${t('countdownTo', { what: t('biddingClosesAt'), left })}）` : ''}`
            : t('biddingClosed')
        }
      />
      <Space>
        <Button onClick={() => void download(`/api/v1/batches/${batchId}/demand/template.xlsx`, `demand-${b.code}.xlsx`).catch(setImportError)}>
          {t('template')}
        </Button>
        <Upload
          accept=".xlsx"
          showUploadList={false}
          disabled={!editable}
          customRequest={({ file }) => {
            setImportError(null);
            setJob(null);
            upload(`/api/v1/batches/${batchId}/demand/import`, file as File)
              .then((r) => setJob(r.jobId))
              .catch(setImportError);
          }}
        >
          <Button icon={<UploadOutlined />} disabled={!editable}>
            {t('import')}
          </Button>
        </Upload>
        <Button
          type="primary"
          disabled={!editable || pending.length === 0}
          loading={save.isPending}
          onClick={() => save.mutate(pending.map(([k, quantity]) => ({ itemId: Number(k.split('-')[0]), group: k.split('-')[1], quantity })))}
        >
          {t('save')} {pending.length > 0 ? `(${pending.length})` : ''}
        </Button>
      </Space>
      <ApiErrorView error={importError ?? save.error} />
      {job && <JobProgress jobId={job} title={t('import')} onDone={() => void qc.invalidateQueries({ queryKey: ['demand', batchId] })} />}
      <Table
        rowKey="key"
        loading={demand.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('genericName'), render: (_, r) => r.item.genericName },
          { title: t('dosageForm'), render: (_, r) => r.item.dosageForm },
          { title: t('representativeStrength'), render: (_, r) => `${r.item.representativeStrength.value} ${r.item.representativeStrength.unit}` },
          { title: t('group'), render: (_, r) => <Tag>{t(r.group === 'A' ? 'group_A' : 'group_B')}</Tag> },
          {
            title: t('demandQuantity'),
            render: (_, r) => (
              <InputNumber
                aria-label={`${r.item.genericName} ${r.group} ${t('demandQuantity')}`}
                min={0}
                precision={0}
                disabled={!editable}
                value={edits[r.key] !== undefined ? edits[r.key] : r.quantity}
                onChange={(v) => setEdits((e) => ({ ...e, [r.key]: v === null ? null : Number(v) }))}
                style={{ width: 160 }}
              />
            ),
          },
          { title: '', render: (_, r) => (edits[r.key] !== undefined && edits[r.key] !== r.quantity ? <Tag color={TONE.orange}>{t('unsaved')}</Tag> : null) },
        ]}
      />
    </Space>
  );
}
