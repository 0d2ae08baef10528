import { Alert, Card, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useI18n } from '../i18n';
import type { Messages } from '../messages';
import { BatchSelect } from './batch-select';

/**
 * A page about one batch at a time: its title, an optional intro, the batch picker (batches in
 * `statuses`), then `children(batchId)` once a batch is chosen, `empty` before.
 */
export function BatchPage({
  title,
  intro,
  statuses,
  empty,
  children,
}: {
  title: keyof Messages;
  intro?: keyof Messages;
  statuses: string[];
  empty: ReactNode;
  children: (batchId: number) => ReactNode;
}) {
  const { t } = useI18n();
  const [batchId, setBatchId] = useState<number>();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(title)}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size="large">
        {intro && <Alert type="info" showIcon message={t(intro)} />}
        <BatchSelect value={batchId} onChange={setBatchId} statuses={statuses} />
        {batchId ? children(batchId) : empty}
      </Space>
    </Card>
  );
}
