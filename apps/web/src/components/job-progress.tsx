import { useQuery } from '@tanstack/react-query';
import { Alert, Progress, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { api, ok } from '../api/client';
import { useI18n } from '../i18n';

/**
 * A long job's progress bar (opening, evaluation, allocation, imports, settlement): polls
 * GET /jobs/:jobId until it completes or fails, then shows its result or its reason.
 */
export function JobProgress({ jobId, onDone, title }: { jobId: string; title?: string; onDone?: (state: 'completed' | 'failed', result: unknown) => void }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => ok(api.GET('/api/v1/jobs/{jobId}', { params: { path: { jobId } } })),
    refetchInterval: (query) => {
      const s = (query.state.data as { state?: string } | undefined)?.state;
      return s === 'completed' || s === 'failed' ? false : 500;
    },
  });
  const job = q.data as { state?: string; progress?: unknown; result?: unknown; failedReason?: string } | undefined;
  const state = job?.state;
  useEffect(() => {
    if (state === 'completed' || state === 'failed') onDone?.(state, job?.result);
  }, [state]);
  const pct = state === 'completed' ? 100 : typeof job?.progress === 'number' ? Math.round(job.progress) : progressPercent(job?.progress);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-progress">
      <Typography.Text strong>{title ?? t('jobRunning')}</Typography.Text>
      <Progress aria-label={title ?? t('jobRunning')} percent={pct} status={state === 'failed' ? 'exception' : state === 'completed' ? 'success' : 'active'} />
      {state === 'completed' && <Alert type="success" showIcon message={t('jobDone')} />}
      {state === 'failed' && <Alert type="error" showIcon message={t('jobFailed')} description={job?.failedReason} />}
    </Space>
  );
}

function progressPercent(p: unknown): number {
  if (p && typeof p === 'object') {
    const o = p as { done?: number; total?: number; percent?: number };
    if (typeof o.percent === 'number') return Math.round(o.percent);
    if (typeof o.done === 'number' && typeof o.total === 'number' && o.total > 0) return Math.round((o.done / o.total) * 100);
  }
  return 10;
}
