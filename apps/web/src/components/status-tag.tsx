import { Tag } from 'antd';
import { TONE } from './tone';
import { useI18n } from '../i18n';
import type { Messages } from '../messages';

const COLORS: Record<string, string> = {
  DRAFT: 'default',
  PUBLISHED: TONE.blue,
  CLOSED: TONE.orange,
  OPENED: TONE.purple,
  EVALUATED: TONE.cyan,
  AWARDED: TONE.green,
  ALLOCATED: TONE.geekblue,
  IN_FORCE: TONE.green,
  COMPLETED: 'default',
  CANCELLED: TONE.red,
  PENDING_CONFIRMATION: TONE.orange,
  CONFIRMED: TONE.green,
};

/** A state as a coloured tag with its Chinese (or English) name. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status_${status}` as keyof Messages;
  const label = t(key);
  return <Tag color={COLORS[status] ?? 'default'}>{label === key ? status : label}</Tag>;
}
