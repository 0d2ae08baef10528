import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api, ok } from '../api/client';
import { useI18n } from '../i18n';

/** Chooses one of the batches the user can see (for the pages that work batch by batch). */
export function BatchSelect({ value, onChange, statuses }: { value?: number; onChange: (id: number) => void; statuses?: string[] }) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['batches', 'select'], queryFn: () => ok(api.GET('/api/v1/batches', { params: { query: { limit: 500, offset: 0 } } })) });
  const items = ((q.data as unknown as { items?: { id: number; code: string; name: string; status: string }[] })?.items ?? []).filter(
    (b) => !statuses || statuses.includes(b.status),
  );
  return (
    <Select
      style={{ minWidth: 320 }}
      placeholder={t('batch')}
      aria-label={t('batch')}
      loading={q.isLoading}
      value={value}
      onChange={onChange}
      options={items.map((b) => ({ value: b.id, label: `${b.code} ${b.name}` }))}
    />
  );
}
