import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadDemoRegion, loadSyntheticCitizens } from '../../app/demo/load-demo.ts';
import { makeAuditLog, verifyAuditChains } from '../audit/audit.ts';
import { testDb } from '../testing/test-database.ts';
import { backup, restore } from './backup.ts';

test('backup then restore into an empty database gives back the same data', async () => {
  const source = await testDb();
  const target = await testDb();
  const dir = mkdtempSync(path.join(tmpdir(), 'sportello-backup-'));
  try {
    await loadDemoRegion(source.db);
    await loadSyntheticCitizens(source.db, { count: 300, seed: 7 });
    const audit = makeAuditLog(source.db);
    for (let i = 0; i < 5; i++)
      await audit.record({ regionCode: '10', action: 'signin', outcome: 'ok', details: { i } });
    await source.db
      .insertInto('dev_outbox')
      .values({
        idempotency_key: 'k1',
        channel: 'sms',
        recipient: '+39',
        body: 'riga 1\nriga 2\ttab \\ slash',
      })
      .execute();
    const file = path.join(dir, 'backup.gz');
    await backup(source.pool, file);
    await restore(target.pool, file);
    for (const table of ['users', 'offices', 'audit_log', 'dev_outbox', 'municipalities'] as const) {
      const a = await source.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const b = await target.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(b.n, a.n, `${table} row count`);
    }
    const body = await target.db
      .selectFrom('dev_outbox')
      .select('body')
      .where('idempotency_key', '=', 'k1')
      .executeTakeFirstOrThrow();
    assert.equal(body.body, 'riga 1\nriga 2\ttab \\ slash');
    const chains = await verifyAuditChains(target.db);
    assert.ok(chains.every((c) => c.ok));
    // New rows still get fresh identities after a restore.
    await target.db
      .insertInto('dev_outbox')
      .values({ idempotency_key: 'k2', channel: 'sms', recipient: '+39', body: 'x' })
      .execute();
    // A second restore into a database with data is refused.
    await assert.rejects(restore(target.pool, file), /not empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await source.close();
    await target.close();
  }
});
