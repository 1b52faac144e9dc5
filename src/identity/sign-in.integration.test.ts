import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { SESSION_COOKIE } from '../platform/auth/session.ts';
import { csrfTokenFor } from '../platform/http/context.ts';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform();
});
after(async () => {
  await platform.stop();
});

const OPERATOR = 'operatore.cpi@demo.sportello.example';
const PASSWORD = 'Demo-Sportello-2026!';

function cookieFrom(setCookie: string | string[] | undefined, name: string): string | null {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of all) {
    const m = new RegExp(`^${name.replace(/[$]/g, '\\$&')}=([^;]*)`).exec(c);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** The SMS code for a pending session, read from the queue's job (the worker is off in this test). */
async function lastSmsCode(): Promise<string> {
  const { rows } = await platform.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = 'send-sms' order by created_on desc limit 1",
  );
  const m = /(\d{6})/.exec(rows[0]?.data.text ?? '');
  assert.ok(m?.[1], 'an SMS with a code was queued');
  return m[1];
}

async function passwordStep(visitor: Visitor, email = OPERATOR, password = PASSWORD) {
  return platform.app.inject({
    method: 'POST',
    url: '/accedi',
    headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(visitor, { email, password }),
  });
}

async function pendingVisitor(): Promise<Visitor> {
  const anon = platform.anonymous();
  const res = await passwordStep(anon);
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /^\/accedi\/codice\?method=sms/);
  const token = cookieFrom(res.headers['set-cookie'], SESSION_COOKIE);
  assert.ok(token);
  const { csrf_seed } = await platform.db
    .selectFrom('sessions')
    .select('csrf_seed')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    csrf: csrfTokenFor(platform.config.sessionSecret, csrf_seed),
    userId: null,
    regionCode: null,
  };
}

test('password then SMS code signs an operator in, with a new session id', async () => {
  const pending = await pendingVisitor();
  const code = await lastSmsCode();
  const res = await platform.app.inject({
    method: 'POST',
    url: '/accedi/codice',
    headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(pending, { code, method: 'sms' }),
  });
  assert.equal(res.statusCode, 303);
  const token = cookieFrom(res.headers['set-cookie'], SESSION_COOKIE);
  assert.ok(token && `${SESSION_COOKIE}=${token}` !== pending.cookie, 'the session id is rotated');
  const setCookie = String(res.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /Secure/);
  assert.match(setCookie, /SameSite=Lax/);
  const home = await platform.app.inject({
    method: 'GET',
    url: '/',
    headers: { cookie: `${SESSION_COOKIE}=${token}` },
  });
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /Area operatore CPI/);
  assert.equal(home.headers['cache-control'], 'no-store');
  // The code is single use.
  const again = await platform.app.inject({
    method: 'POST',
    url: '/accedi/codice',
    headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(pending, { code, method: 'sms' }),
  });
  // The pending session is gone with its form token: the replayed form is refused.
  assert.equal(again.statusCode, 403);
  assert.doesNotMatch(String(again.headers['set-cookie'] ?? ''), /__Host-sl_session=[A-Za-z0-9_-]{43}/);
});

test('a wrong password keeps the e-mail typed and says so in Italian and English', async () => {
  const anon = platform.anonymous();
  const res = await passwordStep(anon, OPERATOR, 'wrong-password-123');
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /E-mail o password non corretti/);
  assert.match(res.body, /value="operatore.cpi@demo.sportello.example"/);
  const en = await platform.app.inject({
    method: 'POST',
    url: '/accedi?lang=en',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { email: 'not-an-email', password: 'x' }),
  });
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /lang="en"/);
  assert.match(en.body, /value="not-an-email"/);
});

test('five wrong codes lock the account for 15 minutes', async () => {
  const pending = await pendingVisitor();
  let last = await platform.app.inject({ method: 'GET', url: '/' });
  for (let i = 0; i < 5; i++) {
    last = await platform.app.inject({
      method: 'POST',
      url: '/accedi/codice',
      headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(pending, { code: '000000', method: 'sms' }),
    });
  }
  assert.equal(last.statusCode, 429);
  assert.match(last.body, /bloccato per 15 minuti/);
  const user = await platform.db
    .selectFrom('users')
    .select('locked_until')
    .where('email', '=', OPERATOR)
    .executeTakeFirstOrThrow();
  assert.ok(user.locked_until && user.locked_until.getTime() > Date.now() + 14 * 60_000);
  // Even the right code is refused while locked.
  const code = await lastSmsCode();
  const locked = await platform.app.inject({
    method: 'POST',
    url: '/accedi/codice',
    headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(pending, { code, method: 'sms' }),
  });
  assert.equal(locked.statusCode, 429);
  await platform.db.updateTable('users').set({ locked_until: null }).where('email', '=', OPERATOR).execute();
});

test('TOTP enrolment, then sign-in with the authenticator code', async () => {
  const citizen = await platform.signInAs('citizen');
  const start = await platform.app.inject({
    method: 'POST',
    url: '/account/totp/inizia',
    headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(citizen, {}),
  });
  assert.equal(start.statusCode, 303);
  const page = await platform.app.inject({
    method: 'GET',
    url: '/account/sicurezza',
    headers: { cookie: citizen.cookie },
  });
  assert.match(page.body, /data:image\/png;base64/);
  const secret = /<code class="sl-secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1]?.replace(/ /g, '');
  assert.ok(secret);
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
  const confirm = await platform.app.inject({
    method: 'POST',
    url: '/account/totp/conferma',
    headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(citizen, { code: totp.generate() }),
  });
  assert.equal(confirm.statusCode, 303);
  const anon = platform.anonymous();
  const step1 = await passwordStep(anon, 'cittadino@demo.sportello.example');
  assert.match(String(step1.headers.location), /method=totp/);
  const token = cookieFrom(step1.headers['set-cookie'], SESSION_COOKIE);
  const { csrf_seed } = await platform.db
    .selectFrom('sessions')
    .select('csrf_seed')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const pending = {
    cookie: `${SESSION_COOKIE}=${token}`,
    csrf: csrfTokenFor(platform.config.sessionSecret, csrf_seed),
    userId: null,
    regionCode: null,
  };
  const step2 = await platform.app.inject({
    method: 'POST',
    url: '/accedi/codice',
    headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(pending, { code: totp.generate(), method: 'totp' }),
  });
  assert.equal(step2.statusCode, 303);
  assert.equal(step2.headers.location, '/');
});

test('password reset: single-use link, policy enforced, all sessions ended', async () => {
  const anon = platform.anonymous();
  const res = await platform.app.inject({
    method: 'POST',
    url: '/password/dimenticata',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { email: 'admin@demo.sportello.example' }),
  });
  assert.equal(res.statusCode, 303);
  const { rows } = await platform.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = 'send-email' and data->>'key' like 'password-reset:%' order by created_on desc limit 1",
  );
  const link = /\/password\/reimposta\/([A-Za-z0-9_-]{43})/.exec(rows[0]?.data.text ?? '')?.[1];
  assert.ok(link);
  const url = `/password/reimposta/${link}`;
  const common = await platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { password: 'password' }),
  });
  assert.equal(common.statusCode, 400);
  assert.match(common.body, /troppo comune/);
  const ok = await platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { password: 'una frase lunga e nuova' }),
  });
  assert.equal(ok.statusCode, 303);
  const reuse = await platform.app.inject({ method: 'GET', url, headers: { cookie: anon.cookie } });
  assert.equal(reuse.statusCode, 400);
  // An unknown e-mail gets the same answer.
  const unknown = await platform.app.inject({
    method: 'POST',
    url: '/password/dimenticata',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { email: 'nobody@example.org' }),
  });
  assert.equal(unknown.statusCode, 303);
});

test('sessions expire after 30 idle minutes, and sign out everywhere ends them all', async () => {
  const a = await platform.signInAs('regional_manager');
  const b = await platform.signInAs('regional_manager');
  await platform.db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
    .where('user_id', '=', a.userId!)
    .execute();
  const expired = await platform.app.inject({
    method: 'GET',
    url: '/account/sicurezza',
    headers: { cookie: a.cookie },
  });
  assert.equal(expired.statusCode, 303);
  const c = await platform.signInAs('regional_manager');
  const out = await platform.app.inject({
    method: 'POST',
    url: '/account/esci-ovunque',
    headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(c, {}),
  });
  assert.equal(out.statusCode, 303);
  const later = await platform.app.inject({
    method: 'GET',
    url: '/account/sicurezza',
    headers: { cookie: b.cookie },
  });
  assert.equal(later.statusCode, 303);
});

test('sign-in is rate limited per account', async () => {
  const anon = platform.anonymous();
  let last = await passwordStep(anon, 'responsabile.nazionale@demo.sportello.example', 'nope-nope-nope');
  for (let i = 0; i < 10; i++)
    last = await passwordStep(anon, 'responsabile.nazionale@demo.sportello.example', 'nope-nope-nope');
  assert.equal(last.statusCode, 429);
  assert.match(last.body, /Troppi tentativi/);
});
