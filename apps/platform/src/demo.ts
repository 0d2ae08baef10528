import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@jicai/common';
import { dropDatabase, migrate } from '@jicai/database';
import { ApiModule } from '../../api/src/api.module';
import { configureApi } from '../../api/src/app.factory';
import { WorkerModule } from '../../worker/src/worker.module';

/**
 * `npm run demo`: plays one procurement round through the HTTP API, in real time, on a
 * database of its own (the configured one with `_demo` appended, recreated each run),
 * with the api and a worker in this process, and prints what happened.
 */
@Module({ imports: [ApiModule, WorkerModule] })
class DemoPlatformModule {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  // The demo's own database gets its own first admin: a one-run random password unless one is set.
  process.env.ADMIN_PASSWORD ||= randomBytes(18).toString('base64url');
  const base = loadConfig(process.env, console);
  const url = new URL(base.databaseUrl);
  url.pathname = `${url.pathname.replace(/^\//, '')}_demo`;
  const databaseUrl = url.toString();
  process.env.DATABASE_URL = databaseUrl;
  process.env.QUEUE_PREFIX = `${base.queuePrefix}_demo_${Date.now()}`;
  await dropDatabase(databaseUrl);
  await migrate(databaseUrl);
  const app = await NestFactory.create(DemoPlatformModule, { logger: ['error', 'warn'] });
  configureApi(app);
  await app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  let token = '';
  const call = async (method: string, path: string, body?: unknown, as = token) => {
    const res = await fetch(api + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json as any;
  };
  const waitJob = async (jobId: string, as = token) => {
    for (;;) {
      const j = await call('GET', `/jobs/${jobId}`, undefined, as);
      if (j.state === 'completed') return j;
      if (j.state === 'failed') throw new Error(`job ${jobId} failed: ${j.failedReason}`);
      await sleep(100);
    }
  };
  const say = (s: string) => console.log(s);

  try {
    token = (await call('POST', '/auth/login', { username: base.adminUsername, password: base.adminPassword! })).accessToken;
    const user = async (type: string, name: string, code: string, level?: string) => {
      const org = await call('POST', '/organizations', { name, code, type, ...(level ? { level } : {}) });
      await call('POST', '/users', { username: `${code.toLowerCase()}-user`, password: 'demo-password-1', organizationId: org.id });
      const t = (await call('POST', '/auth/login', { username: `${code.toLowerCase()}-user`, password: 'demo-password-1' })).accessToken as string;
      return { org, token: t };
    };
    const fund = await user('FUND', 'Municipal Medical Insurance Fund', 'FUND');
    const hospitals = [
      await user('HOSPITAL', 'First People’s Hospital', 'H1', 'TERTIARY'),
      await user('HOSPITAL', 'District Hospital', 'H2', 'SECONDARY'),
      await user('HOSPITAL', 'Community Clinic', 'H3', 'PRIMARY'),
    ];
    const example = [
      { name: 'Pharma A', strength: '2.5', packSize: 28, price: '3.33', ts: '35.5', capacity: 10000 },
      { name: 'Pharma B', strength: '5', packSize: 28, price: '5.60', ts: '30', capacity: 6000 },
      { name: 'Pharma C', strength: '2.5', packSize: 7, price: '1.05', ts: '38', capacity: 20000 },
      { name: 'Pharma D', strength: '2.5', packSize: 14, price: '3.90', ts: '39', capacity: 5000 },
    ];
    const suppliers = [];
    for (const [i, e] of example.entries()) {
      const s = await user('SUPPLIER', e.name, `S${i + 1}`);
      const p = await call('POST', '/catalog/products', {
        genericName: '马来酸左氨氯地平',
        dosageForm: '片剂',
        strength: { value: e.strength, unit: 'mg' },
        packSize: e.packSize,
        smallestUnit: '片',
        qualityTier: 'CONSISTENCY_PASSED',
        supplierId: s.org.id,
        approvalNumber: `国药准字H2026${i + 1}`,
      });
      suppliers.push({ ...s, ...e, productId: p.id as number });
    }
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const batch = await call('POST', '/batches', {
      code: 'DEMO-1',
      name: 'Demo batch: levamlodipine',
      biddingOpensAt: new Date(now - 1000).toISOString(),
      biddingClosesAt: new Date(now + 4000).toISOString(),
      openingAt: new Date(now + 5000).toISOString(),
      agreementStart: today,
      agreementMonths: 12,
      // The demo plays in real time: no publicity period (domain.md 15.4) between evaluation and award.
      rules: { publicityDays: 0 },
    });
    const item = await call('POST', `/batches/${batch.id}/items`, {
      genericName: '马来酸左氨氯地平',
      dosageForm: '片剂',
      representativeStrength: { value: '2.5', unit: 'mg' },
      ceilingUnitPrice: '0.5446',
    });
    await call('POST', `/batches/${batch.id}/publish`);
    say(`Batch ${batch.code} published; item ${item.genericName} ${item.dosageForm}, ceiling ${item.ceilingUnitPrice}/unit`);
    for (const s of suppliers) {
      const b = await call(
        'POST',
        `/batches/${batch.id}/bids`,
        { itemId: item.id, productId: s.productId, packPrice: s.price, supplyCapacity: s.capacity },
        s.token,
      );
      Object.assign(s, { bidId: b.id });
      say(`  ${s.name} bids ${s.price} per ${s.strength} mg × ${s.packSize}: UCP ${b.unitComparablePrice}, receipt ${String(b.receipt).slice(0, 16)}…`);
    }
    for (const [h, q] of hospitals.map((h, i) => [h, [15001, 9000, 4000][i]] as const))
      await call('PUT', `/batches/${batch.id}/items/${item.id}/demand`, { group: 'B', quantity: q }, h.token);
    say('Demand reported: 15001, 9000, 4000 units. Waiting for the opening job at openingAt…');
    for (;;) {
      const b = await call('GET', `/batches/${batch.id}`);
      if (b.status === 'OPENED') break;
      await sleep(250);
    }
    for (const s of suppliers as any[])
      await call('PUT', `/bids/${s.bidId}/technical-score`, { criteria: [{ name: 'technical review', points: s.ts, maxPoints: '40' }] });
    await waitJob((await call('POST', `/batches/${batch.id}/evaluate`)).jobId);
    await call('POST', `/batches/${batch.id}/award`);
    const results = await call('GET', `/batches/${batch.id}/results`);
    say('\nResults (group B):');
    for (const r of results.items.find((g: any) => g.group === 'B').bids) {
      const s = (suppliers as any[]).find((x) => x.bidId === r.bidId);
      say(
        `  #${r.rank} ${s.name}: UCP ${r.unitComparablePrice}  TS ${r.technicalScore}  PS ${r.priceScore}  CS ${r.compositeScore}${r.gated ? '' : '  fails the price gates'}${r.winner ? '  WINNER' : ''}`,
      );
    }
    await waitJob((await call('POST', `/batches/${batch.id}/allocate`)).jobId);
    const agreements = (await call('GET', `/batches/${batch.id}/agreements?limit=500`)).items;
    say('\nAgreements (units per year, amount):');
    for (const a of agreements) say(`  hospital ${a.hospitalId} ← supplier ${a.supplierId}: ${a.units} units × ${a.unitComparablePrice} = ${a.amount}`);
    for (const h of hospitals)
      for (const a of (await call('GET', `/batches/${batch.id}/agreements`, undefined, h.token)).items)
        await call('POST', `/agreements/${a.id}/confirm`, undefined, h.token);
    await call('POST', `/batches/${batch.id}/activate`);
    let prepayments: any[] = [];
    for (let i = 0; i < 100; i++) {
      prepayments = (await call('GET', `/prepayments?batchId=${batch.id}`, undefined, fund.token)).items;
      if (prepayments.every((p) => p.status === 'DISBURSED')) break;
      await sleep(100);
    }
    say('\nPrepayments (30% of confirmed amounts, disbursed by the job on the due date):');
    for (const p of prepayments) say(`  hospital ${p.hospitalId}: ${p.amount} ${p.status}, balance ${p.balance}`);
    const std = await call('GET', `/catalog/products/${suppliers[3].productId}/payment-standard`);
    say(`\nPayment standard of the unselected ${suppliers[3].name} pack: ${std.standardPackPrice}`);
    const q = await call(
      'POST',
      '/reimbursement/quote',
      { productId: suppliers[3].productId, packPrice: '3.90', packs: 3, reimbursementRatio: '0.70' },
      fund.token,
    );
    say(`Claim 3 × 3.90 at 70%: total ${q.total}, fund pays ${q.fundPays}, patient pays ${q.patientPays} (self-paid excess ${q.selfPaidExcess})`);
    const h1 = hospitals[0];
    for (const [s, packs] of [
      [suppliers[0], 80],
      [suppliers[1], 50],
    ] as const) {
      const a = (await call('GET', `/batches/${batch.id}/agreements`, undefined, s.token)).items.find((x: any) => x.hospitalId === h1.org.id);
      const o = await call('POST', '/orders', { agreementId: a.id, packs, requestedBy: 'Pharmacy' }, h1.token);
      await call('POST', `/orders/${o.id}/confirm`, undefined, s.token);
      const d = await call(
        'POST',
        '/deliveries',
        { agreementId: a.id, orderId: o.id, packs, lotNumber: `LOT-${s.name}`, deliveredAt: new Date().toISOString() },
        s.token,
      );
      await call('POST', `/deliveries/${d.id}/accept`, { acceptedPacks: packs }, h1.token);
    }
    await sleep(5);
    const run = await call('POST', '/settlements/runs', { cutoff: new Date().toISOString() }, fund.token);
    await waitJob(run.jobId, fund.token);
    const view = await call('GET', `/settlements/runs/${run.runId}`, undefined, fund.token);
    say(
      `\nSettlement run ${view.id}: ${view.status}, total ${view.totals.amount} = ${view.totals.fromPrepayment} from prepayment + ${view.totals.fromHospital} from the hospital`,
    );
    for (const i of view.instructions)
      say(`  hospital ${i.hospitalId} → supplier ${i.supplierId}: ${i.amount} (prepaid ${i.fromPrepayment}), due ${i.dueDate}`);
    const audit = await call('GET', '/audit/verify');
    say(`\nAudit chain: ${audit.ok ? 'intact' : 'BROKEN'} (${audit.entries} entries)`);
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
