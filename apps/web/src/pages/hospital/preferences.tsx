import type { Schemas } from '../../api/client';
import { ArrowDownOutlined, ArrowUpOutlined, HolderOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { TONE } from '../../components/tone';
import { formatMoney } from '../../format';
import { useI18n } from '../../i18n';
import { useBatch } from '../execution/use-batch';
import { BatchPage } from '../../components/batch-page';

type ResultGroup = Schemas['ResultGroupDto'];
type ResultBid = Schemas['ResultBidDto'];
type Preference = Schemas['PreferenceDto'];

/**
 * A hospital's preferences among the winners of each item × group (domain.md 7), stated between
 * award and allocation: drag the winners (or move them with the arrow buttons) into the order the
 * hospital prefers, and save; without a saved preference the rank order applies.
 */
export default function PreferencesPage() {
  const { t } = useI18n();
  return (
    <BatchPage title="menu_preferences" intro="pref_intro" statuses={['AWARDED', 'ALLOCATED', 'IN_FORCE']} empty={<Empty description={t('pref_none')} />}>
      {(batchId) => <Preferences batchId={batchId} />}
    </BatchPage>
  );
}

function Preferences({ batchId }: { batchId: number }) {
  const { t } = useI18n();
  const batch = useBatch(batchId);
  const results = useQuery({
    queryKey: ['results', batchId],
    queryFn: () => ok(api.GET('/api/v1/batches/{id}/results', { params: { path: { id: batchId } } })),
  });
  const prefs = useQuery({
    queryKey: ['preferences', batchId],
    queryFn: () => ok(api.GET('/api/v1/batches/{id}/preferences', { params: { path: { id: batchId }, query: { limit: 500 } as never } })),
  });
  const b = batch.data;
  if (!b) return null;
  const groups = ((results.data as unknown as { items?: ResultGroup[] })?.items ?? []).filter((g) => g.winners.length > 0);
  const saved = ((prefs.data as unknown as { items?: Preference[] })?.items ?? []) as Preference[];
  const editable = b.status === 'AWARDED';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ApiErrorView error={results.error ?? prefs.error} />
      {!editable && <Alert type="warning" showIcon message={t('pref_closed')} />}
      {groups.length === 0 && !results.isLoading && <Empty description={t('pref_noWinners')} />}
      {groups.map((g) => {
        const item = b.items?.find((i) => i.id === g.itemId);
        const pref = saved.find((p) => p.itemId === g.itemId && p.group === g.group);
        return (
          <WinnerOrder
            key={`${g.itemId}-${g.group}-${pref?.updatedAt ?? ''}`}
            batchId={batchId}
            title={`${item?.genericName ?? g.itemId} ${item?.dosageForm ?? ''}`}
            group={g}
            saved={pref}
            editable={editable}
          />
        );
      })}
      {editable && groups.length > 0 && (
        <Typography.Text type="secondary">
          {t('pref_next')}{' '}
          <Link to="/hospital/agreements" style={{ textDecoration: 'underline' }}>
            {t('menu_agreements')}
          </Link>
        </Typography.Text>
      )}
    </Space>
  );
}

function initialOrder(g: ResultGroup, saved?: Preference): number[] {
  // the saved order first, then any winner it leaves out in rank order
  const rest = g.winners.filter((id) => !saved?.winnerBidIds.includes(id));
  return [...(saved?.winnerBidIds ?? []).filter((id) => g.winners.includes(id)), ...rest];
}

function WinnerOrder({
  batchId,
  title,
  group,
  saved,
  editable,
}: {
  batchId: number;
  title: string;
  group: ResultGroup;
  saved?: Preference;
  editable: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [order, setOrder] = useState<number[]>(() => initialOrder(group, saved));
  const [dragging, setDragging] = useState<number | null>(null);
  useEffect(() => setOrder(initialOrder(group, saved)), [group, saved]);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/api/v1/batches/{id}/items/{itemId}/preferences', {
          params: { path: { id: batchId, itemId: group.itemId } },
          body: { group: group.group, winnerBidIds: order },
        }),
      ),
    onSuccess: () => {
      void message.success(t('success'));
      void qc.invalidateQueries({ queryKey: ['preferences', batchId] });
    },
  });
  const bid = (id: number) => group.bids.find((x) => x.bidId === id) as ResultBid | undefined;
  const move = (from: number, to: number) =>
    setOrder((o) => {
      if (to < 0 || to >= o.length || from === to) return o;
      const next = [...o];
      const [x] = next.splice(from, 1);
      next.splice(to, 0, x);
      return next;
    });
  const changed = JSON.stringify(order) !== JSON.stringify(saved?.winnerBidIds ?? group.winners);
  const groupLabel = t(group.group === 'A' ? 'group_A' : 'group_B');
  return (
    <Card
      size="small"
      data-testid={`pref-${group.itemId}-${group.group}`}
      title={
        <Space wrap>
          <Typography.Text strong>{title}</Typography.Text>
          <Tag>{groupLabel}</Tag>
          {saved ? <Tag color={TONE.green}>{t('pref_saved')}</Tag> : <Tag>{t('pref_default')}</Tag>}
        </Space>
      }
      extra={
        editable && (
          <Button type="primary" disabled={!changed && !!saved} loading={save.isPending} onClick={() => save.mutate()}>
            {t('save')}
          </Button>
        )
      }
    >
      <ApiErrorView error={save.error} />
      <List
        aria-label={`${title} ${groupLabel} ${t('pref_order')}`}
        dataSource={order}
        renderItem={(id, i) => {
          const b = bid(id);
          return (
            <List.Item
              draggable={editable}
              data-testid={`pref-row-${id}`}
              onDragStart={(e) => {
                setDragging(i);
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', String(id));
              }}
              onDragOver={(e) => {
                if (dragging !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragging !== null) move(dragging, i);
                setDragging(null);
              }}
              onDragEnd={() => setDragging(null)}
              style={{ cursor: editable ? 'grab' : undefined, background: dragging === i ? '#e6f4ff' : undefined, paddingInline: 8 }}
              actions={
                editable
                  ? [
                      <Button
                        key="up"
                        size="small"
                        icon={<ArrowUpOutlined />}
                        aria-label={`${t('pref_moveUp')} ${b?.supplierName || t('supplierNo', { id: b?.supplierId ?? id })}`}
                        disabled={i === 0}
                        onClick={() => move(i, i - 1)}
                      />,
                      <Button
                        key="down"
                        size="small"
                        icon={<ArrowDownOutlined />}
                        aria-label={`${t('pref_moveDown')} ${b?.supplierName || t('supplierNo', { id: b?.supplierId ?? id })}`}
                        disabled={i === order.length - 1}
                        onClick={() => move(i, i + 1)}
                      />,
                    ]
                  : []
              }
            >
              <Space wrap>
                {editable && <HolderOutlined aria-label={t('pref_dragHint')} />}
                <Typography.Text strong>{i + 1}.</Typography.Text>
                <Typography.Text>{b?.supplierName || t('supplierNo', { id: b?.supplierId ?? '?' })}</Typography.Text>
                <Typography.Text type="secondary">{t('productNo', { id: b?.productId ?? '?' })}</Typography.Text>
                <Typography.Text>
                  {t('packPrice')}: {formatMoney(b?.packPrice)}
                </Typography.Text>
                <Typography.Text>
                  {t('unitComparablePrice')}: {b?.unitComparablePrice ?? '—'}
                </Typography.Text>
                <Tag>
                  {t('rank')} {b?.rank ?? '—'}
                </Tag>
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
