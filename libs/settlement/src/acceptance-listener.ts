/**
 * What an acceptance changed: one hospital's deliveries in one batch. Modules above
 * settlement (execution's progress) keep figures derived from acceptances; they provide a
 * listener under DELIVERIES_ACCEPTED (a global provider), and every acceptance (single or by
 * import) calls it once its transaction has committed. The listener only enqueues work
 * (deduplicated jobs): it never runs inside, or slows, the acceptance's transaction, whose
 * concurrent peers (the same hospital accepting several deliveries at once) it would
 * otherwise deadlock with. Dependencies still point down: settlement knows only this interface.
 */
export interface AcceptedScope {
  batchId: number;
  hospitalId: number;
}

export interface DeliveriesAcceptedListener {
  /** Called after the commit with the distinct (batch, hospital) pairs the transaction accepted deliveries of; must not throw for a queue hiccup. */
  accepted(scopes: readonly AcceptedScope[]): Promise<void>;
}

/** The injection token of the (optional) listener. */
export const DELIVERIES_ACCEPTED = Symbol.for('jicai.settlement.deliveriesAccepted');

/** The distinct (batch, hospital) pairs of a list, ordered by batch then hospital (a stable lock order). */
export function acceptedScopes(rows: Iterable<AcceptedScope>): AcceptedScope[] {
  const seen = new Map<string, AcceptedScope>();
  for (const r of rows) seen.set(`${r.batchId}|${r.hospitalId}`, { batchId: r.batchId, hospitalId: r.hospitalId });
  return [...seen.values()].sort((a, b) => a.batchId - b.batchId || a.hospitalId - b.hospitalId);
}
