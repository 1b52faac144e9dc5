import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestPlatform, type TestPlatform } from '../../app/testing/test-platform.ts';

/**
 * The admin's dead-letter view on the whole platform: counts, the endpoint not configured, the dead
 * events of the Region only, replay and discard (audited, with the reason), who may do what.
 */
let platform: TestPlatform;
let giulia = '';

before(async () => {
  platform = await startTestPlatform();
  giulia = (await platform.signInAs('citizen')).userId!;
});
after(async () => {
  await platform.stop();
});

async function deadEvent(
  key: string,
  region = '10',
  payload: Record<string, unknown> = { citizenId: giulia },
) {
  const row = await platform.db
    .insertInto('national_outbox')
    .values({
      region_code: region,
      idempotency_key: key,
      kind: 'placement',
      payload: JSON.stringify(payload),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`update national_outbox set dead_at = now(), attempts = 20, last_error = 'HTTP 503: down'
            where region_code = ${region} and id = ${row.id}`.execute(platform.db);
  return row.id;
}

async function state(id: string) {
  const { rows } = await sql<{
    dead_at: Date | null;
    discarded_at: Date | null;
    discard_reason: string | null;
    attempts: number;
  }>`select dead_at, discarded_at, discard_reason, attempts from national_outbox where id = ${id}`.execute(
    platform.db,
  );
  return rows[0]!;
}

test('the trigger finds the person of an event from the fiscal code, the DID or the citizen id', async () => {
  const person = await platform.db
    .selectFrom('users')
    .select(['fiscal_code'])
    .where('id', '=', giulia)
    .executeTakeFirstOrThrow();
  const existing = await platform.db
    .selectFrom('did_declarations')
    .select('id')
    .where('user_id', '=', giulia)
    .executeTakeFirst();
  const did =
    existing ??
    (await platform.db
      .insertInto('did_declarations')
      .values({ region_code: '10', user_id: giulia, status: 'active', verification_code: 'TEST-OUTBOX-DID' })
      .returning('id')
      .executeTakeFirstOrThrow());
  await platform.db
    .insertInto('national_outbox')
    .values([
      {
        region_code: '10',
        idempotency_key: 't:did',
        kind: 'did.suspended',
        payload: JSON.stringify({ didId: did.id }),
      },
      {
        region_code: '10',
        idempotency_key: 't:fc',
        kind: 'x.y',
        payload: JSON.stringify({ fiscalCode: person.fiscal_code }),
      },
      {
        region_code: '10',
        idempotency_key: 't:id',
        kind: 'placement',
        payload: JSON.stringify({ citizenId: giulia }),
      },
    ])
    .execute();
  const { rows } = await sql<{ subject_id: string; order_key: string; sequence: string }>`
    select subject_id, order_key, sequence from national_outbox where idempotency_key in ('t:did', 't:fc', 't:id') order by id`.execute(
    platform.db,
  );
  assert.deepEqual(
    rows.map((r) => r.subject_id),
    [giulia, giulia, giulia],
  );
  assert.equal(rows[0]!.order_key, `person:${giulia}`);
  assert.deepEqual(
    rows.map((r) => Number(r.sequence)),
    [0, 1, 2].map((i) => Number(rows[0]!.sequence) + i),
  );
  await sql`update national_outbox set delivered_at = now() where idempotency_key in ('t:did', 't:fc', 't:id')`.execute(
    platform.db,
  );
});

test('admin sees counts, that no endpoint is configured, and the dead events of the Region', async () => {
  const id = await deadEvent('admin:view:1');
  await deadEvent('admin:view:other-region', '20', { citizenId: '00000000-0000-4000-8000-000000000001' });
  const admin = await platform.signInAs('admin');
  const page = await platform.get(admin, '/admin/outbox');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Invii al sistema nazionale/);
  assert.match(page.body, /Nessun indirizzo configurato/);
  assert.match(page.body, /HTTP 503: down/);
  assert.match(page.body, new RegExp(`/admin/outbox/${id}/riprova`));
  assert.match(page.body, /Conti Giulia/);
  assert.doesNotMatch(page.body, /admin:view:other-region/);
  assert.equal((page.body.match(/\/riprova"/g) ?? []).length, 1, 'only the Region’s dead event');
  const read = await platform.db
    .selectFrom('audit_log')
    .select(['subject_id', 'purpose'])
    .where('action', '=', 'read.national_outbox_event')
    .where('object_id', '=', id)
    .executeTakeFirst();
  assert.deepEqual(read, { subject_id: giulia, purpose: 'national_outbox.dead_letter' });

  const en = await platform.get(admin, '/admin/outbox?lang=en');
  assert.match(en.body, /Deliveries to the national system/);
});

test('a regional manager may read but not act; others are refused', async () => {
  const id = await deadEvent('admin:rm:1');
  const manager = await platform.signInAs('regional_manager');
  const page = await platform.get(manager, '/admin/outbox');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /\/riprova"/);
  assert.equal((await platform.post(manager, `/admin/outbox/${id}/riprova`, {})).statusCode, 403);
  assert.equal((await platform.post(manager, `/admin/outbox/${id}/scarta`, { reason: 'x' })).statusCode, 403);
  const operator = await platform.signInAs('cpi_operator');
  assert.equal((await platform.get(operator, '/admin/outbox')).statusCode, 403);
  assert.equal((await platform.get(await platform.signInAs('citizen'), '/admin/outbox')).statusCode, 403);
  assert.notEqual((await state(id)).dead_at, null);
});

test('"Riprova" puts a dead event back to pending, audited; a second click is told it is gone', async () => {
  const id = await deadEvent('admin:replay:1');
  const admin = await platform.signInAs('admin');
  const res = await platform.post(admin, `/admin/outbox/${id}/riprova`, {});
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/admin/outbox?ok=replayed');
  const s = await state(id);
  assert.equal(s.dead_at, null);
  assert.equal(s.attempts, 0);
  const entry = await platform.db
    .selectFrom('audit_log')
    .select(['subject_id', 'actor_id'])
    .where('action', '=', 'national_outbox.replayed')
    .where('object_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(entry.subject_id, giulia);
  assert.equal(entry.actor_id, admin.userId);
  const again = await platform.post(admin, `/admin/outbox/${id}/riprova`, {});
  assert.equal(again.headers.location, '/admin/outbox?ok=gone');
  assert.match((await platform.get(admin, '/admin/outbox?ok=gone')).body, /già gestito/);
  assert.equal((await platform.post(admin, '/admin/outbox/abc/riprova', {})).statusCode, 404);
});

test('"Scarta" needs a reason: refused clearly with the text kept, then audited with it', async () => {
  const id = await deadEvent('admin:discard:1');
  const admin = await platform.signInAs('admin');
  const form = await platform.get(admin, `/admin/outbox/${id}/scarta`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /name="_csrf"/);

  const empty = await platform.post(admin, `/admin/outbox/${id}/scarta`, { reason: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.match(
    empty.body,
    /Scrivi il motivo per cui scarti l&#39;evento|Scrivi il motivo per cui scarti l'evento/,
  );
  const tooLong = await platform.post(admin, `/admin/outbox/${id}/scarta`, {
    reason: `Motivo ${'x'.repeat(2100)}`,
  });
  assert.equal(tooLong.statusCode, 400);
  assert.match(tooLong.body, /Motivo xxxx/);
  const control = await platform.post(admin, `/admin/outbox/${id}/scarta`, { reason: 'a\u0001b' });
  assert.equal(control.statusCode, 400);
  assert.equal((await state(id)).discarded_at, null);

  const ok = await platform.post(admin, `/admin/outbox/${id}/scarta`, { reason: 'Già comunicato a mano' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin/outbox?ok=discarded');
  const s = await state(id);
  assert.notEqual(s.discarded_at, null);
  assert.equal(s.discard_reason, 'Già comunicato a mano');
  const entry = await platform.db
    .selectFrom('audit_log')
    .select(['details'])
    .where('action', '=', 'national_outbox.discarded')
    .where('object_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal((entry.details as { reason?: string }).reason, 'Già comunicato a mano');
  assert.equal((await platform.get(admin, `/admin/outbox/${id}/scarta`)).statusCode, 404, 'no longer dead');
});

test('another Region’s dead event is not found, and pages past the end are empty', async () => {
  const foreign = await deadEvent('admin:foreign:1', '20', {
    citizenId: '00000000-0000-4000-8000-000000000002',
  });
  const admin = await platform.signInAs('admin');
  assert.equal((await platform.get(admin, `/admin/outbox/${foreign}/scarta`)).statusCode, 404);
  assert.equal(
    (await platform.post(admin, `/admin/outbox/${foreign}/scarta`, { reason: 'no' })).statusCode,
    303,
  );
  assert.equal((await state(foreign)).discarded_at, null);
  const far = await platform.get(admin, '/admin/outbox?pagina=999');
  assert.equal(far.statusCode, 200);
  assert.match(far.body, /Nessun evento non consegnato/);
  assert.equal((await platform.get(admin, '/admin/outbox?pagina=-3')).statusCode, 200);
});

test('the dead events are paged, 20 a page', async () => {
  for (let i = 0; i < 25; i++) await deadEvent(`admin:page:${i}`);
  const admin = await platform.signInAs('admin');
  const first = await platform.get(admin, '/admin/outbox');
  assert.match(first.body, /href="\/admin\/outbox\?pagina=1"/);
  const second = await platform.get(admin, '/admin/outbox?pagina=1');
  assert.match(second.body, /href="\/admin\/outbox"/);
  assert.match(second.body, /Pagina 2/);
});
