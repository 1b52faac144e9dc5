import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TestDatabase, testDb } from '../testing/test-database.ts';
import {
  CACHE_MS,
  createSession,
  endAllSessions,
  endSession,
  hashToken,
  loadSession,
  setEidConfirmation,
} from './session.ts';

let database: TestDatabase;
let userId: string;
before(async () => {
  database = await testDb();
  await database.db.insertInto('regions').values({ region_code: '10', name: 'Umbria' }).execute();
  const user = await database.db
    .insertInto('users')
    .values({ region_code: '10', role: 'citizen', given_name: 'Anna', family_name: 'Rossi' })
    .returning('id')
    .executeTakeFirstOrThrow();
  userId = user.id;
});
after(async () => {
  await database.close();
});

const newSession = () =>
  createSession(database.db, { userId, regionCode: '10', stage: 'active', authMethod: 'test' });

test('ending sessions in this process takes effect at once, despite the in-process memory', async () => {
  const token = await newSession();
  assert.equal((await loadSession(database.db, token))?.user.id, userId);
  await endAllSessions(database.db, '10', userId);
  assert.equal(await loadSession(database.db, token), null);
});

test('signing out, and a fresh SPID/CIE confirmation, take effect at once in this process', async () => {
  const token = await newSession();
  const session = await loadSession(database.db, token);
  assert.ok(session);
  assert.equal(session.eidConfirmation, null);
  await setEidConfirmation(database.db, session.idHash, 'cie');
  assert.equal((await loadSession(database.db, token))?.eidConfirmation?.provider, 'cie');
  await endSession(database.db, session.idHash);
  assert.equal(await loadSession(database.db, token), null);
});

test('a session ended by another process is gone within CACHE_MS', async () => {
  const token = await newSession();
  assert.ok(await loadSession(database.db, token));
  // Another process deletes the row directly.
  await database.db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
  await sleep(CACHE_MS + 50);
  assert.equal(await loadSession(database.db, token), null);
});

test('malformed and unknown tokens are refused', async () => {
  assert.equal(await loadSession(database.db, 'short'), null);
  assert.equal(await loadSession(database.db, 'A'.repeat(43)), null);
});
