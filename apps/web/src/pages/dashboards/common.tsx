import { Button, Select } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { download } from '../../api/client';
import { ApiErrorView } from '../../components/api-error';
import { useI18n } from '../../i18n';

/** Downloads the xlsx table behind a chart (same filters as the chart). */
export function ExportButton({ path, filename, testId }: { path: string; filename: string; testId?: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <Button
        icon={<DownloadOutlined />}
        data-testid={testId}
        onClick={() => {
          setError(null);
          void download(path, filename).catch(setError);
        }}
      >
        {t('dash_exportXlsx')}
      </Button>
      <ApiErrorView error={error} />
    </>
  );
}

export function YearSelect({ value, onChange }: { value: number; onChange: (y: number) => void }) {
  const { t } = useI18n();
  return (
    <Select
      aria-label={t('dash_year')}
      style={{ width: 140 }}
      value={value}
      onChange={onChange}
      options={[1, 2, 3].map((n) => ({ value: n, label: t('dash_yearN', { n }) }))}
    />
  );
}
