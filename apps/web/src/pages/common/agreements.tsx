import { Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { BatchSelect } from '../../components/batch-select';
import { useI18n } from '../../i18n';
import { AgreementsTab } from '../admin/batch';

/** A firm's (or hospital's) own agreements, batch by batch; the api answers only its own. */
export default function AgreementsPage() {
  const { t } = useI18n();
  const [batchId, setBatchId] = useState<number>();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_agreements')}
        </Typography.Title>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <BatchSelect value={batchId} onChange={setBatchId} statuses={['ALLOCATED', 'IN_FORCE', 'COMPLETED']} />
        {batchId && <AgreementsTab batchId={batchId} />}
      </Space>
    </Card>
  );
}
