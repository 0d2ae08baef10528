import { useQuery } from '@tanstack/react-query';
import { Table, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiErrorView } from './api-error';
import { useI18n } from '../i18n';

/**
 * A table paged on the server (api.md lists: ?limit=&offset= → {items, total}); the page and
 * the filters are part of the query key, so each page is one small request however large the list.
 */
export function PagedTable<T extends object>({
  queryKey,
  fetchPage,
  columns,
  rowKey = 'id',
  pageSize = 20,
  emptyText,
}: {
  queryKey: unknown[];
  fetchPage: (limit: number, offset: number) => Promise<unknown>;
  columns: TableColumnsType<T>;
  rowKey?: string;
  pageSize?: number;
  /** What an empty list says (the next action), instead of antd's bare "no data". */
  emptyText?: ReactNode;
}) {
  const { t } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize });
  const q = useQuery({ queryKey: [...queryKey, page], queryFn: () => fetchPage(page.pageSize, (page.current - 1) * page.pageSize) });
  const data = q.data as { items?: T[]; total?: number } | undefined;
  return (
    <>
      <ApiErrorView error={q.error} />
      <Table<T>
        rowKey={rowKey}
        loading={q.isLoading}
        dataSource={data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={emptyText ? { emptyText } : undefined}
        pagination={{
          ...page,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('total', { n }),
          onChange: (current, size) => setPage({ current, pageSize: size }),
        }}
      />
    </>
  );
}
