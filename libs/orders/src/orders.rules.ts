import { Dec, Decimal } from '@jicai/common';

/** Pure rules of purchase orders (采购订单), issue 13 item 1. No I/O. */

export enum OrderStatus {
  PLACED = 'PLACED',
  CONFIRMED = 'CONFIRMED',
  REFUSED = 'REFUSED',
  PARTIALLY_DELIVERED = 'PARTIALLY_DELIVERED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
}

export enum RefusalReason {
  STOCK_OUT = 'STOCK_OUT',
  OTHER = 'OTHER',
}

export type OrderAction = 'confirm' | 'refuse' | 'cancel' | 'deliver';

/**
 * PLACED → CONFIRMED | REFUSED (supplier) or CANCELLED (hospital, before confirmation);
 * CONFIRMED | PARTIALLY_DELIVERED → PARTIALLY_DELIVERED | DELIVERED by deliveries.
 */
export function canApply(status: OrderStatus, action: OrderAction): boolean {
  switch (action) {
    case 'confirm':
    case 'refuse':
    case 'cancel':
      return status === OrderStatus.PLACED;
    case 'deliver':
      return status === OrderStatus.CONFIRMED || status === OrderStatus.PARTIALLY_DELIVERED;
  }
}

const HOUR = 3_600_000;

/** The supplier answers by placedAt + orderConfirmHours. */
export function confirmDeadline(placedAt: Date, orderConfirmHours: number): Date {
  return new Date(placedAt.getTime() + orderConfirmHours * HOUR);
}

/** An answer (confirmation or refusal) is in time when given at or before the deadline. */
export function answeredInTime(answeredAt: Date, deadline: Date): boolean {
  return answeredAt.getTime() <= deadline.getTime();
}

/** Ordered and not yet delivered. */
export function openPacks(ordered: number, delivered: number): number {
  return Math.max(0, ordered - delivered);
}

export type DeliveryCheck = { ok: true; deliveredPacks: number; status: OrderStatus } | { ok: false; open: number };

/**
 * A delivery of `packs` against an order line: refused when it exceeds what is ordered and not
 * yet delivered; otherwise the line's delivered packs grow and it becomes DELIVERED when all
 * are delivered, PARTIALLY_DELIVERED before.
 */
export function applyDelivery(ordered: number, delivered: number, packs: number): DeliveryCheck {
  const open = openPacks(ordered, delivered);
  if (packs > open) return { ok: false, open };
  const deliveredPacks = delivered + packs;
  return { ok: true, deliveredPacks, status: deliveredPacks === ordered ? OrderStatus.DELIVERED : OrderStatus.PARTIALLY_DELIVERED };
}

/** Supplier punctuality: fill rate = packs delivered ÷ packs of confirmed orders, 4 decimals half-up; null with none confirmed. */
export function fillRate(deliveredPacks: number, confirmedPacks: number): string | null {
  if (confirmedPacks <= 0) return null;
  return new Dec(deliveredPacks).div(confirmedPacks).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

/** Supplier punctuality: mean days from placing to first delivery, 2 decimals half-up; null with no delivered order. */
export function averageDays(totalSeconds: number, orders: number): string | null {
  if (orders <= 0) return null;
  return new Dec(totalSeconds).div(new Dec(86_400).times(orders)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
