/**
 * The main flow of a procurement round written against the generated client
 * (@jicai/api-client): compiled, not run, by test/openapi-client.e2e-spec.ts (and by
 * `npm run typecheck`). Every answer is read into the type the web console will rely on, so
 * when the document's shape of an answer changes (a field renamed, an integer turned string,
 * a list losing {items, total}), this file stops compiling and CI fails.
 */
import { createApiClient, type ApiClient, type Schemas } from '@jicai/api-client';

type Ok<T> = { data?: T; error?: unknown };
function must<T>(r: Ok<T>): T {
  if (r.data === undefined) throw new Error(`API error: ${JSON.stringify(r.error)}`);
  return r.data;
}

const money = (s: string): string => s; // money stays a decimal string, never a number
const int = (n: number): number => n;
const time = (s: string | null): Date | null => (s === null ? null : new Date(s));

export async function mainFlow(baseUrl: string): Promise<Schemas['PaymentInstructionDto'][]> {
  const anonymous = createApiClient({ baseUrl });
  const login = async (username: string, password: string): Promise<ApiClient> => {
    const session: Schemas['LoginResponseDto'] = must(await anonymous.POST('/api/v1/auth/login', { body: { username, password } }));
    const role: 'ADMIN' | 'SUPPLIER' | 'HOSPITAL' | 'FUND' = session.user.role;
    int(session.user.organizationId);
    void role;
    return createApiClient({ baseUrl, token: session.accessToken });
  };
  const admin = await login('admin', 'admin-password');
  const supplier = await login('supplier', 'secret');
  const hospital = await login('hospital', 'secret');
  const fund = await login('fund', 'secret');

  const batch = must(
    await admin.POST('/api/v1/batches', {
      body: {
        code: 'GY-2027-01',
        name: 'Round 1',
        biddingOpensAt: '2027-01-01T00:00:00Z',
        biddingClosesAt: '2027-01-10T00:00:00Z',
        openingAt: '2027-01-11T00:00:00Z',
        agreementStart: '2027-02-01',
        agreementMonths: 12,
      },
    }),
  );
  const batchId: number = batch.id;
  const status: Schemas['BatchDto']['status'] = batch.status;
  void status;
  time(batch.openingAt);

  const item: Schemas['BatchItemDto'] = must(
    await admin.POST('/api/v1/batches/{id}/items', {
      params: { path: { id: batchId } },
      body: { genericName: '左氨氯地平', dosageForm: '片剂', representativeStrength: { value: '2.5', unit: 'mg' }, ceilingUnitPrice: '0.5446' },
    }),
  );
  money(item.ceilingUnitPrice);
  const published = must(await admin.POST('/api/v1/batches/{id}/publish', { params: { path: { id: batchId } } }));
  const publishedStatus: typeof status = published.status;
  void publishedStatus;

  const products = must(await supplier.GET('/api/v1/catalog/products', { params: { query: { limit: 10 } } }));
  const productId: number = products.items[0].id;
  int(products.total);

  await hospital.PUT('/api/v1/batches/{id}/items/{itemId}/demand', {
    params: { path: { id: batchId, itemId: item.id } },
    body: { group: 'B', quantity: 15001 },
  });

  const receipt: Schemas['BidReceiptDto'] = must(
    await supplier.POST('/api/v1/batches/{id}/bids', {
      params: { path: { id: batchId } },
      body: { itemId: item.id, productId, packPrice: '3.33', supplyCapacity: 20000 },
    }),
  );
  money(receipt.packPrice);
  money(receipt.unitComparablePrice);
  const bidId: number = receipt.id;
  const sealedReceipt: string = receipt.receipt;
  void sealedReceipt;

  const opening: Schemas['JobAcceptedDto'] = must(await admin.POST('/api/v1/batches/{id}/open', { params: { path: { id: batchId } } }));
  const job = must(await admin.GET('/api/v1/jobs/{jobId}', { params: { path: { jobId: opening.jobId } } }));
  const state: string = job.state;
  void state;

  const score = must(
    await admin.PUT('/api/v1/bids/{id}/technical-score', {
      params: { path: { id: bidId } },
      body: { criteria: [{ name: 'quality', points: '25', maxPoints: '30' }] },
    }),
  );
  money(score.technicalScore);

  const evaluation = must(await admin.POST('/api/v1/batches/{id}/evaluate', { params: { path: { id: batchId } } }));
  void evaluation.jobId;
  const results: Schemas['ResultsDto'] = must(await admin.GET('/api/v1/batches/{id}/results', { params: { path: { id: batchId } } }));
  for (const group of results.items) {
    const winners: number[] = group.winners;
    for (const b of group.bids) {
      money(b.compositeScore);
      int(b.rank);
      const winner: boolean = b.winner;
      void winner;
    }
    void winners;
  }
  must(await admin.POST('/api/v1/batches/{id}/award', { params: { path: { id: batchId } } }));
  must(await admin.POST('/api/v1/batches/{id}/allocate', { params: { path: { id: batchId } } }));

  const agreements = must(await hospital.GET('/api/v1/batches/{id}/agreements', { params: { path: { id: batchId }, query: { limit: 50, offset: 0 } } }));
  const agreement: Schemas['AgreementDto'] = agreements.items[0];
  int(agreement.units);
  money(agreement.amount);
  const confirmed = must(await hospital.POST('/api/v1/agreements/{id}/confirm', { params: { path: { id: agreement.id } } }));
  const agreementStatus: 'PENDING_CONFIRMATION' | 'CONFIRMED' = confirmed.status;
  void agreementStatus;
  must(await admin.POST('/api/v1/batches/{id}/activate', { params: { path: { id: batchId } } }));

  const prepayments = must(await fund.GET('/api/v1/prepayments', { params: { query: { batchId } } }));
  money(prepayments.items[0].balance);

  const delivery: Schemas['DeliveryDto'] = must(
    await supplier.POST('/api/v1/deliveries', { body: { agreementId: agreement.id, packs: 100, lotNumber: 'L1', deliveredAt: '2027-02-02T00:00:00Z' } }),
  );
  const accepted = must(await hospital.POST('/api/v1/deliveries/{id}/accept', { params: { path: { id: delivery.id } }, body: { acceptedPacks: 100 } }));
  const acceptedAmount: string | null = accepted.acceptedAmount;
  void acceptedAmount;

  const run: Schemas['RunAcceptedDto'] = must(await fund.POST('/api/v1/settlements/runs', { body: { cutoff: '2027-03-01T00:00:00Z' } }));
  const view: Schemas['SettlementRunViewDto'] = must(await fund.GET('/api/v1/settlements/runs/{id}', { params: { path: { id: run.runId } } }));
  money(view.totals.fromPrepayment);
  int(view.progress.hospitalsDone);

  const payments = must(await fund.GET('/api/v1/payments', { params: { query: { runId: run.runId } } }));
  for (const p of payments.items) {
    money(p.fromHospital);
    for (const line of p.lines) int(line.deliveryId);
  }
  const paid = must(
    await fund.POST('/api/v1/payments/{id}/mark-paid', { params: { path: { id: payments.items[0].id } }, body: { paidAt: '2027-03-02T00:00:00Z' } }),
  );
  const paidStatus: 'PENDING' | 'PAID' = paid.status;
  void paidStatus;
  return payments.items;
}
