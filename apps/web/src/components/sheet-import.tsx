import { UploadOutlined } from '@ant-design/icons';
import { Button, Upload } from 'antd';
import { useState } from 'react';
import { download, upload } from '../api/client';
import { useI18n } from '../i18n';

/**
 * A spreadsheet import's two buttons (download the template, upload a filled one) and its state:
 * the api's error with its row details, or the id of the import job to follow.
 */
export function useSheetImport(importPath: string, templatePath: string, templateName: string) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [job, setJob] = useState<string | null>(null);
  const buttons = (
    <>
      <Button onClick={() => void download(templatePath, templateName).catch(setError)}>{t('template')}</Button>
      <Upload
        accept=".xlsx"
        showUploadList={false}
        customRequest={({ file }) => {
          setError(null);
          setJob(null);
          upload(importPath, file as File)
            .then((r) => setJob(r.jobId))
            .catch(setError);
        }}
      >
        <Button icon={<UploadOutlined />}>{t('import')}</Button>
      </Upload>
    </>
  );
  return { error, setError, job, buttons };
}
