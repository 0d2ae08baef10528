import type { Schemas } from '../api/client';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, List, Popover, Space, Typography } from 'antd';
import { api, ok } from '../api/client';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import type { Messages } from '../messages';

type Note = Schemas['NotificationDto'];

/** The in-app inbox: unread count on the bell, the latest notifications, mark one or all read. */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['notifications'],
    queryFn: () => ok(api.GET('/api/v1/notifications' as never, { params: { query: { limit: 10, offset: 0 } } } as never)),
    refetchInterval: 60_000,
  });
  const data = q.data as unknown as { items?: Note[]; unread?: number } | undefined;
  const refresh = () => void qc.invalidateQueries({ queryKey: ['notifications'] });
  const readOne = useMutation({
    mutationFn: (id: number) => ok(api.POST('/api/v1/notifications/{id}/read' as never, { params: { path: { id } } } as never)),
    onSuccess: refresh,
  });
  const readAll = useMutation({ mutationFn: () => ok(api.POST('/api/v1/notifications/read-all' as never, {} as never)), onSuccess: refresh });
  const kindLabel = (k: string) => {
    const key = `notify_${k}` as keyof Messages;
    const s = t(key);
    return s === key ? k : s;
  };
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={
        <Space style={{ width: 360, justifyContent: 'space-between' }}>
          <span>{t('notifications')}</span>
          <Button size="small" type="link" disabled={!data?.unread} onClick={() => readAll.mutate()}>
            {t('readAll')}
          </Button>
        </Space>
      }
      content={
        <List<Note>
          style={{ width: 360, maxHeight: 420, overflow: 'auto' }}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('noData') }}
          renderItem={(n) => (
            <List.Item onClick={() => !n.readAt && readOne.mutate(n.id)} style={{ cursor: n.readAt ? 'default' : 'pointer', opacity: n.readAt ? 0.75 : 1 }}>
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{kindLabel(n.kind)}</Typography.Text>}
                description={
                  <>
                    <div>{n.message}</div>
                    <Typography.Text type="secondary">{formatTime(n.createdAt, lang)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      }
    >
      <Badge count={data?.unread ?? 0} size="small">
        <Button shape="circle" icon={<BellOutlined />} aria-label={t('notifications')} />
      </Badge>
    </Popover>
  );
}
