import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { TONE } from '../../components/tone';
import { formatQty, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

type QueueRow = Schemas['JobQueueDto'];
type JobRow = Schemas['JobSummaryDto'];
type JobState = JobRow['state'];
type QueueName = QueueRow['queue'];

const REFRESH_MS = 5000;
const STATES: JobState[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'];
const STATE_COLOR: Record<string, string> = { active: TONE.blue, failed: TONE.red, completed: TONE.green, delayed: TONE.orange };

/** The job queues for the procurement office: counts per queue, the recent jobs and why any failed; refreshed every 5 s. */
export default function JobsPage() {
  const { t, lang } = useI18n();
  const [auto, setAuto] = useState(true);
  const [queue, setQueue] = useState<QueueName | undefined>();
  const [state, setState] = useState<JobState | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const interval = auto ? REFRESH_MS : false;
  const queues = useQuery({ queryKey: ['job-queues'], queryFn: () => ok(api.GET('/api/v1/jobs/queues')), refetchInterval: interval });
  const jobs = useQuery({
    queryKey: ['jobs', queue, state, page],
    queryFn: () => ok(api.GET('/api/v1/jobs', { params: { query: { queue, state, limit: page.pageSize, offset: (page.current - 1) * page.pageSize } } })),
    refetchInterval: interval,
  });
  const name = (q: string) => t(`queue_${q}` as keyof Messages);
  const count = (n: number, color?: string) => (n > 0 && color ? <Tag color={color}>{formatQty(n)}</Tag> : formatQty(n));
  const failing = (queues.data?.items ?? []).filter((q) => q.failed > 0);
  const refreshed = Math.max(queues.dataUpdatedAt, jobs.dataUpdatedAt);
  const pick = (q?: QueueName, s?: JobState) => {
    setQueue(q);
    setState(s);
    setPage((p) => ({ ...p, current: 1 }));
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('jobsTitle')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Switch checked={auto} onChange={setAuto} aria-label={t('autoRefresh')} />
            <Typography.Text>{t('autoRefresh')}</Typography.Text>
            <Button
              onClick={() => {
                void queues.refetch();
                void jobs.refetch();
              }}
            >
              {t('refreshNow')}
            </Button>
            {refreshed > 0 && <Typography.Text type="secondary">{t('refreshedAt', { at: new Date(refreshed).toLocaleTimeString(lang) })}</Typography.Text>}
          </Space>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('jobsHelp')}
          </Typography.Paragraph>
          {failing.length > 0 && <Alert type="error" showIcon message={failing.map((q) => `${name(q.queue)}: ${t('jobs_failed')} ${q.failed}`).join('；')} />}
          <ApiErrorView error={queues.error} />
          <Table<QueueRow>
            rowKey="queue"
            size="small"
            loading={queues.isLoading}
            dataSource={queues.data?.items ?? []}
            pagination={false}
            columns={[
              { title: t('queue'), dataIndex: 'queue', render: (q: string) => `${name(q)}（${q}）` },
              { title: t('jobs_waiting'), dataIndex: 'waiting', align: 'right', render: (n: number) => count(n) },
              { title: t('jobs_active'), dataIndex: 'active', align: 'right', render: (n: number) => count(n, TONE.blue) },
              { title: t('jobs_delayed'), dataIndex: 'delayed', align: 'right', render: (n: number) => count(n) },
              { title: t('jobs_failed'), dataIndex: 'failed', align: 'right', render: (n: number) => count(n, TONE.red) },
              { title: t('jobs_completed'), dataIndex: 'completed', align: 'right', render: (n: number) => count(n) },
              {
                title: t('status'),
                dataIndex: 'paused',
                render: (p: boolean) => (p ? <Tag color={TONE.orange}>{t('jobs_paused')}</Tag> : <Tag color={TONE.green}>{t('jobs_running')}</Tag>),
              },
              {
                title: t('actions'),
                render: (_, r) => (
                  <Button size="small" onClick={() => pick(r.queue, r.failed > 0 ? 'failed' : undefined)}>
                    {t('showJobsOf')}
                  </Button>
                ),
              },
            ]}
          />
        </Space>
      </Card>
      <Card
        title={
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('recentJobs')}
          </Typography.Title>
        }
        extra={
          <Space wrap>
            <Select<QueueName | ''>
              aria-label={t('queue')}
              style={{ width: 180 }}
              value={queue ?? ''}
              onChange={(v) => pick(v || undefined, state)}
              options={[{ value: '' as const, label: t('allQueues') }, ...(queues.data?.items ?? []).map((q) => ({ value: q.queue, label: name(q.queue) }))]}
            />
            <Select<JobState | ''>
              aria-label={t('status')}
              style={{ width: 150 }}
              value={state ?? ''}
              onChange={(v) => pick(queue, v || undefined)}
              options={[{ value: '' as const, label: t('allStates') }, ...STATES.map((s) => ({ value: s, label: t(`jobState_${s}` as keyof Messages) }))]}
            />
          </Space>
        }
      >
        <ApiErrorView error={jobs.error} />
        <Table<JobRow>
          rowKey="jobId"
          size="small"
          loading={jobs.isLoading}
          dataSource={jobs.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{
            ...page,
            total: jobs.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('total', { n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          columns={[
            { title: t('queue'), dataIndex: 'queue', render: (q: string) => name(q) },
            { title: t('jobName'), dataIndex: 'name', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
            {
              title: t('status'),
              dataIndex: 'state',
              render: (s: string) => <Tag color={STATE_COLOR[s] ?? 'default'}>{t(`jobState_${s}` as keyof Messages)}</Tag>,
            },
            {
              title: t('jobProgress'),
              render: (_, j) => (
                <Progress
                  size="small"
                  style={{ width: 120, margin: 0 }}
                  aria-label={t('jobProgress')}
                  percent={percentOf(j)}
                  status={j.state === 'failed' ? 'exception' : undefined}
                />
              ),
            },
            {
              title: t('failedReason'),
              dataIndex: 'failedReason',
              render: (r: string | null) => (r ? <Typography.Text type="danger">{r}</Typography.Text> : '—'),
            },
            { title: t('attempts'), dataIndex: 'attemptsMade', align: 'right' },
            { title: t('createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v, lang) },
            { title: t('processedAt'), dataIndex: 'processedAt', render: (v: string | null) => formatTime(v, lang) },
            { title: t('finishedAt'), dataIndex: 'finishedAt', render: (v: string | null) => formatTime(v, lang) },
            {
              title: t('jobId'),
              dataIndex: 'jobId',
              render: (id: string) => <Typography.Text copyable={{ text: id }}>{id.length > 28 ? `${id.slice(0, 28)}…` : id}</Typography.Text>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The bar of a job: 100 when completed, its reported percent, or done ÷ total of an object progress. */
function percentOf(j: JobRow): number {
  if (j.state === 'completed') return 100;
  const p = j.progress as unknown;
  if (typeof p === 'number') return Math.max(0, Math.min(100, Math.round(p)));
  if (p && typeof p === 'object') {
    const o = p as { done?: number; total?: number; percent?: number };
    if (typeof o.percent === 'number') return Math.round(o.percent);
    if (typeof o.done === 'number' && typeof o.total === 'number' && o.total > 0) return Math.round((o.done / o.total) * 100);
  }
  return 0;
}
