import type { Schemas } from '../../api/client';
import { TONE } from '../../components/tone';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { api, download, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { UcpChart } from '../../components/ucp-chart';
import { formatMoney } from '../../format';
import { priceCut } from '../../rules';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';
import { gateRatioLine } from '../../rules';

type ResultBid = Schemas['ResultBidDto'];
type ResultGroup = Schemas['ResultGroupDto'];

/** Results per item × group (section 5): rank, UCP, TS, PS, CS, gates, winners, cut against the ceiling, and a chart. */
export function ResultsView({
  batchId,
  items,
  rules,
  canDownload = true,
}: {
  batchId: number;
  items: { id: number; genericName: string; ceilingUnitPrice: string }[];
  rules?: Record<string, unknown>;
  canDownload?: boolean;
}) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['results', batchId], queryFn: () => ok(api.GET('/api/v1/batches/{id}/results', { params: { path: { id: batchId } } })) });
  const gateName = (g: string) => {
    const key = `gate_${g}` as keyof Messages;
    const s = t(key);
    return s === key ? g : s;
  };
  const groups = ((q.data as unknown as { items?: ResultGroup[] })?.items ?? []) as ResultGroup[];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <ApiErrorView error={q.error} />
      {canDownload && (
        <Button onClick={() => void download(`/api/v1/batches/${batchId}/results.xlsx`, `results-${batchId}.xlsx`)}>{t('download')} results.xlsx</Button>
      )}
      {groups.length === 0 && !q.isLoading && <Empty />}
      {groups.map((g) => {
        const item = items.find((i) => i.id === g.itemId);
        const ceiling = item?.ceilingUnitPrice ?? '';
        const gateLine = gateRatioLine(rules?.gateRatio, g.anchorUcp);
        return (
          <Card
            key={`${g.itemId}-${g.group}`}
            size="small"
            title={
              <Space>
                <Typography.Text strong>{item?.genericName ?? g.itemId}</Typography.Text>
                <Tag>{t(g.group === 'A' ? 'group_A' : 'group_B')}</Tag>
                <Typography.Text type="secondary">
                  {t('ceiling')}: {formatMoney(ceiling)}
                </Typography.Text>
                {g.anchorUcp && (
                  <Typography.Text type="secondary">
                    {t('gateAnchor')}: {g.anchorUcp}
                    {gateLine ? `；${t('gateLine')}: ${gateLine}` : ''}
                    {g.gateFloor ? `；${t('rule_gateFloor')}: ${g.gateFloor}` : ''}
                  </Typography.Text>
                )}
                {g.bids.length === 0 && <Tag color={TONE.red}>{t('noBid')}</Tag>}
              </Space>
            }
          >
            {g.bids.length > 0 && (
              <Table<ResultBid>
                rowKey="bidId"
                size="small"
                dataSource={g.bids}
                pagination={false}
                columns={[
                  { title: t('rank'), dataIndex: 'rank', width: 60 },
                  { title: t('supplier'), dataIndex: 'supplierName' },
                  { title: t('product'), dataIndex: 'productSpec', render: (v: string, b) => `${b.productName} ${v}` },
                  { title: t('packPrice'), dataIndex: 'packPrice', align: 'right', render: (v: string) => formatMoney(v) },
                  { title: t('unitComparablePrice'), dataIndex: 'unitComparablePrice', align: 'right' },
                  { title: t('technicalScore'), dataIndex: 'technicalScore', align: 'right' },
                  { title: t('priceScore'), dataIndex: 'priceScore', align: 'right' },
                  { title: t('compositeScore'), dataIndex: 'compositeScore', align: 'right' },
                  {
                    title: t('gated'),
                    dataIndex: 'gated',
                    render: (v: boolean, b) =>
                      v ? (
                        <Tag color={TONE.green}>{`${t('gatePassed')}${b.gatePassedBy ? `：${gateName(b.gatePassedBy)}` : ''}`}</Tag>
                      ) : (
                        <Tag color={TONE.red}>{t('gateFailed')}</Tag>
                      ),
                  },
                  { title: t('winner'), dataIndex: 'winner', render: (v: boolean) => (v ? <Tag color={TONE.gold}>{t('winner')}</Tag> : '') },
                  { title: t('priceCut'), align: 'right', render: (_, b) => (ceiling ? priceCut(b.unitComparablePrice, ceiling) : '—') },
                ]}
              />
            )}
            {g.bids.length > 0 && ceiling && <UcpChart bids={g.bids} ceiling={ceiling} gateLine={gateLine} />}
          </Card>
        );
      })}
    </Space>
  );
}
