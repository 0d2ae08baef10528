import { Alert, Table } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

interface RowDetail {
  sheet?: string;
  row?: number;
  column?: string;
  field?: string;
  value?: unknown;
  message?: string;
  messages?: string[];
}

/** Shows the api's message and, for spreadsheets and forms, its per-row or per-field details in a table. */
export function ApiErrorView({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const details = (e?.body.details ?? []) as RowDetail[];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={e ? `${e.body.message} (${e.body.code})` : String((error as Error).message ?? error)}
      description={
        details.length > 0 ? (
          <Table<RowDetail>
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={details.length > 10 ? { pageSize: 10 } : false}
            dataSource={details}
            columns={[
              ...(details.some((d) => d.sheet) ? [{ title: t('sheet'), dataIndex: 'sheet' }] : []),
              ...(details.some((d) => d.row !== undefined) ? [{ title: t('row'), dataIndex: 'row' }] : []),
              { title: t('column'), render: (_: unknown, d: RowDetail) => d.column ?? d.field ?? '' },
              ...(details.some((d) => d.value !== undefined)
                ? [{ title: t('value'), render: (_: unknown, d: RowDetail) => (d.value === undefined ? '' : String(d.value)) }]
                : []),
              { title: t('message'), render: (_: unknown, d: RowDetail) => d.message ?? d.messages?.join('；') ?? JSON.stringify(d) },
            ]}
          />
        ) : undefined
      }
    />
  );
}
