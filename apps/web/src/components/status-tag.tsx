import { Tag } from 'antd';
import { useI18n } from '../i18n';
import type { Messages } from '../messages';

const COLORS: Record<string, string> = {
  DRAFT: 'default',
  PUBLISHED: 'blue',
  CLOSED: 'orange',
  OPENED: 'purple',
  EVALUATED: 'cyan',
  AWARDED: 'green',
  ALLOCATED: 'geekblue',
  IN_FORCE: 'green',
  COMPLETED: 'default',
  CANCELLED: 'red',
  PENDING_CONFIRMATION: 'orange',
  CONFIRMED: 'green',
};

/** A state as a coloured tag with its Chinese (or English) name. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status_${status}` as keyof Messages;
  const label = t(key);
  return <Tag color={COLORS[status] ?? 'default'}>{label === key ? status : label}</Tag>;
}
