import type { Schemas } from '../../api/client';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { PagedTable } from '../../components/paged-table';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';

type Entry = Schemas['AuditEntryDto'];

export default function AuditPage() {
  const { t, lang } = useI18n();
  const verify = useMutation({ mutationFn: () => ok(api.GET('/api/v1/audit/verify')) });
  const v = verify.data as unknown as { ok: boolean; entries: number; brokenAt?: number; reason?: string } | undefined;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('audit')}
        </Typography.Title>
      }
      extra={
        <Button onClick={() => verify.mutate()} loading={verify.isPending}>
          {t('verifyChain')}
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <ApiErrorView error={verify.error} />
        {v &&
          (v.ok ? (
            <Alert type="success" showIcon message={t('chainOk', { n: v.entries })} />
          ) : (
            <Alert type="error" showIcon message={t('chainBroken', { n: v.brokenAt ?? '?', reason: v.reason ?? '' })} />
          ))}
        <PagedTable<Entry>
          rowKey="seq"
          queryKey={['audit']}
          pageSize={50}
          fetchPage={(limit, offset) => ok(api.GET('/api/v1/audit', { params: { query: { limit, offset } as never } }))}
          columns={[
            { title: '#', dataIndex: 'seq' },
            { title: t('at'), dataIndex: 'at', render: (x: string) => formatTime(x, lang) },
            { title: t('actor'), dataIndex: 'actorUserId', render: (x: number | null, e) => (e.sealed ? <Tag>{t('sealed')}</Tag> : (x ?? '—')) },
            { title: t('action'), dataIndex: 'action' },
            { title: t('entity'), render: (_, e) => `${e.entity} ${e.entityId}` },
          ]}
        />
      </Space>
    </Card>
  );
}
