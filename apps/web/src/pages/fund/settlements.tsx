import type { Schemas } from '../../api/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Progress, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, download, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { TONE } from '../../components/tone';
import { formatMoney, formatTime } from '../../format';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';

type Run = Schemas['SettlementRunDto'];

/**
 * Settlement runs (domain.md 10): start one for a cut-off, watch its progress bar live (hospitals
 * settled of all), its totals split into the prepayment and the hospitals' own parts, and why it failed.
 */
export default function SettlementsPage() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const [cutoff, setCutoff] = useState<Dayjs | null>(dayjs());
  const runs = useQuery({
    queryKey: ['runs'],
    queryFn: () => ok(api.GET('/api/v1/settlements/runs', { params: { query: { limit: 50, offset: 0 } as never } })),
    refetchInterval: (q) =>
      ((q.state.data as unknown as { items?: Run[] })?.items ?? []).some((r) => r.status === 'QUEUED' || r.status === 'RUNNING') ? 1000 : false,
  });
  const start = useMutation({
    mutationFn: () => ok(api.POST('/api/v1/settlements/runs', { body: { cutoff: (cutoff ?? dayjs()).toDate().toISOString() } as never })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['runs'] }),
  });
  const items = ((runs.data as unknown as { items?: Run[] })?.items ?? []) as Run[];
  const color: Record<string, string> = { COMPLETED: TONE.green, FAILED: TONE.red, RUNNING: TONE.blue, QUEUED: TONE.orange };
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('runs')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <Typography.Text>{t('cutoff')}:</Typography.Text>
          <DatePicker showTime value={cutoff} onChange={setCutoff} aria-label={t('cutoff')} />
          <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
            {t('newRun')}
          </Button>
        </Space>
        <ApiErrorView error={start.error ?? runs.error} />
        <Table<Run>
          locale={{ emptyText: <NextStep text="next_settlements" /> }}
          rowKey="id"
          loading={runs.isLoading}
          dataSource={items}
          pagination={false}
          columns={[
            { title: t('id'), dataIndex: 'id' },
            { title: t('cutoff'), dataIndex: 'cutoff', render: (v: string) => formatTime(v, lang) },
            { title: t('status'), dataIndex: 'status', render: (s: string) => <Tag color={color[s]}>{t(`run_${s}` as 'run_QUEUED')}</Tag> },
            {
              title: t('progress'),
              width: 220,
              render: (_, r) => (
                <Progress
                  aria-label={`${t('progress')} #${r.id}`}
                  percent={
                    r.progress.hospitalsTotal ? Math.round((r.progress.hospitalsDone / r.progress.hospitalsTotal) * 100) : r.status === 'COMPLETED' ? 100 : 0
                  }
                  status={r.status === 'FAILED' ? 'exception' : r.status === 'COMPLETED' ? 'success' : 'active'}
                  // dark text: the success green on white falls short of WCAG AA
                  format={() => <span style={{ color: 'rgba(0, 0, 0, 0.88)' }}>{`${r.progress.hospitalsDone}/${r.progress.hospitalsTotal}`}</span>}
                />
              ),
            },
            { title: t('amount'), render: (_, r) => formatMoney(r.totals.amount), align: 'right' },
            { title: t('fromPrepayment'), render: (_, r) => formatMoney(r.totals.fromPrepayment), align: 'right' },
            { title: t('fromHospital'), render: (_, r) => formatMoney(r.totals.fromHospital), align: 'right' },
            { title: t('failedReason'), dataIndex: 'failedReason', render: (v: string | null) => v ?? '' },
            {
              title: t('statement'),
              render: (_, r) =>
                r.status === 'COMPLETED' ? (
                  <Button size="small" onClick={() => void download(`/api/v1/settlements/runs/${r.id}/statement.xlsx`, `statement-${r.id}.xlsx`)}>
                    {t('download')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Space>
    </Card>
  );
}
