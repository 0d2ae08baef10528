import { Tag, type TableColumnsType } from 'antd';
import type { Schemas } from '../api/client';
import { formatMoney } from '../format';
import type { Messages } from '../messages';
import { TONE } from './tone';

export type Payment = Schemas['PaymentInstructionDto'];

/**
 * The columns of a list of payment instructions, as the supplier's and the fund's payments
 * pages show them; `run` adds the settlement run after the id (the fund's page).
 */
export function paymentColumns(t: (key: keyof Messages) => string, { run = false } = {}): TableColumnsType<Payment> {
  return [
    { title: t('id'), dataIndex: 'id' },
    ...(run ? [{ title: t('runs'), dataIndex: 'runId' }] : []),
    { title: t('hospital'), dataIndex: 'hospitalName', render: (n: string | undefined, r) => n || `#${r.hospitalId}` },
    { title: t('supplier'), dataIndex: 'supplierName', render: (n: string | undefined, r) => n || `#${r.supplierId}` },
    { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v) },
    { title: t('fromPrepayment'), dataIndex: 'fromPrepayment', align: 'right', render: (v: string) => formatMoney(v) },
    { title: t('fromHospital'), dataIndex: 'fromHospital', align: 'right', render: (v: string) => formatMoney(v) },
    { title: t('dueDate'), dataIndex: 'dueDate' },
    {
      title: t('status'),
      render: (_, p) =>
        p.status === 'PAID' ? <Tag color={TONE.green}>{t('paid')}</Tag> : p.overdue ? <Tag color={TONE.red}>{t('overdue')}</Tag> : <Tag>{t('pending')}</Tag>,
    },
  ];
}
