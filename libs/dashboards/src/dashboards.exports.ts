import { ExportColumn } from '@jicai/spreadsheets';
import type {
  BehindHospitalDto,
  FundMonthDto,
  FunnelDto,
  HospitalItemDto,
  ItemProgressDto,
  LevelProgressDto,
  PaymentsWeekDto,
  PriceCutDto,
  SupplierMonthDto,
  WinnerVolumeDto,
} from './dto/dashboards.responses';

/** The table behind each chart, as its xlsx export writes it (Chinese headers over the API's field names). */

/** The item's id and generic name, first columns of the per-item tables. */
const itemColumns = <R extends { itemId: unknown; genericName: unknown }>(): ExportColumn<R>[] => [
  { header: 'itemId', label: '品种ID', value: 'itemId' },
  { header: 'genericName', label: '通用名', value: 'genericName', width: 20 },
];

/** Agreed and accepted units against the completion expected by now: every progress table ends so. */
const completionColumns = <
  R extends { agreedUnits: unknown; acceptedUnits: unknown; completion: unknown; expectedCompletion: unknown },
>(): ExportColumn<R>[] => [
  { header: 'agreedUnits', label: '约定采购量（单位）', value: 'agreedUnits', decimals: 0 },
  { header: 'acceptedUnits', label: '已验收（单位）', value: 'acceptedUnits', decimals: 0 },
  { header: 'completion', label: '完成率', value: 'completion', decimals: 4 },
  { header: 'expectedCompletion', label: '应完成率', value: 'expectedCompletion', decimals: 4 },
];

export const FUNNEL_COLUMNS: ExportColumn<{ stage: string; label: string; count: number }>[] = [
  { header: 'stage', label: '环节', value: 'stage' },
  { header: 'label', label: '说明', value: 'label', width: 24 },
  { header: 'count', label: '数量', value: 'count', decimals: 0 },
];
export const funnelRows = (f: FunnelDto) => [
  { stage: 'items', label: '品种', count: f.items },
  { stage: 'itemsWithBids', label: '有投标的品种', count: f.itemsWithBids },
  { stage: 'bids', label: '已开标的投标', count: f.bids },
  { stage: 'itemsWithWinners', label: '有中选的品种', count: f.itemsWithWinners },
  { stage: 'winners', label: '中选', count: f.winners },
  { stage: 'noBidItems', label: '无人投标的品种', count: f.noBidItems },
];

export const PRICE_CUT_COLUMNS: ExportColumn<PriceCutDto>[] = [
  ...itemColumns<PriceCutDto>(),
  { header: 'dosageForm', label: '剂型', value: 'dosageForm' },
  { header: 'ceilingUnitPrice', label: '最高有效申报价（单位）', value: 'ceilingUnitPrice', decimals: 4 },
  { header: 'bids', label: '投标数', value: 'bids', decimals: 0 },
  { header: 'winners', label: '中选数', value: 'winners', decimals: 0 },
  { header: 'lowestAwardUnitPrice', label: '最低中选价（单位）', value: 'lowestAwardUnitPrice', decimals: 4 },
  { header: 'highestAwardUnitPrice', label: '最高中选价（单位）', value: 'highestAwardUnitPrice', decimals: 4 },
  { header: 'cut', label: '降幅', value: 'cut', decimals: 4 },
];

export const WINNER_VOLUME_COLUMNS: ExportColumn<WinnerVolumeDto>[] = [
  { header: 'supplierId', label: '企业ID', value: 'supplierId' },
  { header: 'supplierName', label: '企业', value: 'supplierName', width: 28 },
  { header: 'agreements', label: '协议数', value: 'agreements', decimals: 0 },
  { header: 'units', label: '约定采购量（单位/年）', value: 'units', decimals: 0 },
  { header: 'amount', label: '协议金额', value: 'amount', decimals: 2 },
  { header: 'confirmedAmount', label: '已确认金额', value: 'confirmedAmount', decimals: 2 },
];

const progressColumns = <R extends ItemProgressDto | LevelProgressDto>(): ExportColumn<R>[] => [
  { header: 'hospitals', label: '医疗机构数', value: 'hospitals', decimals: 0 },
  { header: 'behindHospitals', label: '进度滞后机构数', value: 'behindHospitals', decimals: 0 },
  ...completionColumns<R>(),
];
export const ITEM_PROGRESS_COLUMNS: ExportColumn<ItemProgressDto>[] = [...itemColumns<ItemProgressDto>(), ...progressColumns<ItemProgressDto>()];
export const LEVEL_PROGRESS_COLUMNS: ExportColumn<LevelProgressDto>[] = [
  { header: 'level', label: '医疗机构级别', value: (r) => r.level ?? '' },
  ...progressColumns<LevelProgressDto>(),
];

export const BEHIND_COLUMNS: ExportColumn<BehindHospitalDto>[] = [
  { header: 'hospitalId', label: '医疗机构ID', value: 'hospitalId' },
  { header: 'hospitalName', label: '医疗机构', value: 'hospitalName', width: 28 },
  { header: 'level', label: '级别', value: (r) => r.level ?? '' },
  { header: 'rows', label: '品种×分组数', value: 'rows', decimals: 0 },
  { header: 'behindRows', label: '滞后数', value: 'behindRows', decimals: 0 },
  ...completionColumns<BehindHospitalDto>(),
];

export const SUPPLIER_MONTH_COLUMNS: ExportColumn<SupplierMonthDto>[] = [
  { header: 'month', label: '月份', value: 'month' },
  { header: 'orders', label: '订单数', value: 'orders', decimals: 0 },
  { header: 'orderedPacks', label: '订购（包装）', value: 'orderedPacks', decimals: 0 },
  { header: 'deliveries', label: '配送单数', value: 'deliveries', decimals: 0 },
  { header: 'deliveredPacks', label: '配送（包装）', value: 'deliveredPacks', decimals: 0 },
  { header: 'acceptedAmount', label: '验收金额', value: 'acceptedAmount', decimals: 2 },
  { header: 'payments', label: '回款笔数', value: 'payments', decimals: 0 },
  { header: 'paidAmount', label: '回款金额', value: 'paidAmount', decimals: 2 },
];

export const HOSPITAL_ITEM_COLUMNS: ExportColumn<HospitalItemDto>[] = [
  ...itemColumns<HospitalItemDto>(),
  ...completionColumns<HospitalItemDto>(),
  { header: 'behind', label: '滞后', value: (r) => (r.behind ? '是' : '否') },
];

export const FUND_MONTH_COLUMNS: ExportColumn<FundMonthDto>[] = [
  { header: 'month', label: '月份', value: 'month' },
  { header: 'disbursed', label: '预付拨付', value: 'disbursed', decimals: 2 },
  { header: 'recovered', label: '预付收回', value: 'recovered', decimals: 2 },
  { header: 'settled', label: '结算金额', value: 'settled', decimals: 2 },
  { header: 'fromPrepayment', label: '其中预付冲抵', value: 'fromPrepayment', decimals: 2 },
  { header: 'fromHospital', label: '其中医疗机构支付', value: 'fromHospital', decimals: 2 },
];

export const PAYMENTS_WEEK_COLUMNS: ExportColumn<PaymentsWeekDto>[] = [
  { header: 'week', label: '周（周一）', value: 'week' },
  { header: 'instructions', label: '付款指令数', value: 'instructions', decimals: 0 },
  { header: 'due', label: '应付金额', value: 'due', decimals: 2 },
  { header: 'paidOnTime', label: '按时支付', value: 'paidOnTime', decimals: 2 },
  { header: 'paidLate', label: '逾期后支付', value: 'paidLate', decimals: 2 },
  { header: 'overdue', label: '逾期未付', value: 'overdue', decimals: 2 },
  { header: 'pending', label: '未到期', value: 'pending', decimals: 2 },
];
