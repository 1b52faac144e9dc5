import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestPlatform } from '../app/testing/test-platform.ts';
import { RETENTION_JOB } from './wiring.ts';

test('the daily retention job is scheduled only in a worker process', async () => {
  const web = await startTestPlatform({ worker: false });
  try {
    const { rows } = await web.pool.query('select 1 from pgboss.schedule where name = $1', [RETENTION_JOB]);
    assert.equal(rows.length, 0);
  } finally {
    await web.stop();
  }
  const worker = await startTestPlatform({ worker: true });
  try {
    const { rows } = await worker.pool.query<{ cron: string; options: { tz?: string } }>(
      'select cron, options from pgboss.schedule where name = $1',
      [RETENTION_JOB],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.cron, '30 3 * * *');
    assert.equal(rows[0]?.options.tz, 'Europe/Rome');
  } finally {
    await worker.stop();
  }
});
