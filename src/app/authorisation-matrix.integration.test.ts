import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROLES } from '../platform/auth/roles.ts';
import { allows } from '../platform/http/routes.ts';
import { form, startTestPlatform, type TestPlatform, type Visitor } from './testing/test-platform.ts';

/**
 * Every registered page and action, tried by every role and by an anonymous visitor:
 * a refused role gets the 403 page, an anonymous visitor is sent to sign in, nobody gets a 5xx.
 */
let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform();
});
after(async () => {
  await platform.stop();
});

const OTHER_ID = '11111111-2222-4333-8444-555555555555';

function concrete(url: string): string {
  return url
    .replace(/:id\b/g, OTHER_ID)
    .replace(/:uid\b/g, 'unknown-interaction')
    .replace(/:token\b/g, 'x'.repeat(43));
}

test('every route refuses the roles it must refuse, and never fails', async () => {
  const checked: string[] = [];
  for (const route of platform.routes.routes) {
    // Fresh sessions for every route: some routes (sign out) end the session they are called with.
    const visitors: [string, Visitor][] = [['anonymous', platform.anonymous()]];
    for (const role of ROLES) visitors.push([role, await platform.signInAs(role)]);
    for (const [who, visitor] of visitors) {
      const role = who === 'anonymous' ? null : (who as (typeof ROLES)[number]);
      const res = await platform.app.inject({
        method: route.method,
        url: concrete(route.url),
        headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        ...(route.method === 'POST' ? { payload: form(visitor, {}) } : {}),
      });
      const label = `${route.method} ${route.url} as ${who}`;
      assert.ok(res.statusCode < 500, `${label} answered ${res.statusCode}`);
      if (allows(route.access, role)) {
        assert.notEqual(res.statusCode, 403, `${label} must be allowed`);
      } else if (role === null) {
        if (route.method === 'GET') {
          assert.equal(res.statusCode, 303, `${label} must redirect to sign-in`);
          assert.match(String(res.headers.location), /^\/accedi\?next=/);
        } else {
          assert.equal(res.statusCode, 401, label);
        }
      } else {
        assert.equal(res.statusCode, 403, `${label} must be refused`);
        assert.match(res.body, /Non hai accesso a questa pagina/);
      }
      checked.push(label);
    }
  }
  assert.ok(checked.length >= platform.routes.routes.length * 8);
});

test('refusals are written to the audit log', async () => {
  const citizen = await platform.signInAs('citizen');
  const res = await platform.app.inject({
    method: 'GET',
    url: '/admin/utenti',
    headers: { cookie: citizen.cookie },
  });
  assert.equal(res.statusCode, 403);
  const row = await platform.db
    .selectFrom('audit_log')
    .select(['action', 'outcome'])
    .where('actor_id', '=', citizen.userId)
    .where('action', '=', 'authz.refused')
    .executeTakeFirst();
  assert.deepEqual(row, { action: 'authz.refused', outcome: 'refused' });
});

test('an operator asking for a person of another Region gets a 404, as for a person who does not exist', async () => {
  const foreign = await platform.db
    .insertInto('users')
    .values({ region_code: '00', role: 'citizen', given_name: 'Altra', family_name: 'Regione' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const operator = await platform.signInAs('cpi_operator');
  const other = await platform.app.inject({
    method: 'GET',
    url: `/operatore/persone/${foreign.id}?purpose=interview`,
    headers: { cookie: operator.cookie },
  });
  const missing = await platform.app.inject({
    method: 'GET',
    url: `/operatore/persone/${OTHER_ID}?purpose=interview`,
    headers: { cookie: operator.cookie },
  });
  assert.equal(other.statusCode, 404);
  assert.equal(missing.statusCode, 404);
});

test('a POST without a valid CSRF token is refused and changes nothing', async () => {
  const visitor = platform.anonymous();
  const before = await platform.db
    .selectFrom('accessibility_feedback')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const res = await platform.app.inject({
    method: 'POST',
    url: '/accessibilita',
    headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'message=hello&_csrf=forged',
  });
  assert.equal(res.statusCode, 403);
  const afterCount = await platform.db
    .selectFrom('accessibility_feedback')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(afterCount.n, before.n);
});

test('every POST refuses a missing or forged CSRF token, for a role that may use it, and changes nothing', async () => {
  const auditBefore = await platform.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', 'not like', 'authz.%')
    .where('action', 'not like', 'csrf.%')
    .executeTakeFirstOrThrow();
  let tried = 0;
  for (const route of platform.routes.routes.filter((r) => r.method === 'POST')) {
    const role = ROLES.find((r) => allows(route.access, r));
    const visitor = role ? await platform.signInAs(role) : platform.anonymous();
    for (const token of ['', '_csrf=forged-token']) {
      const res = await platform.app.inject({
        method: 'POST',
        url: concrete(route.url),
        headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `${token}${token ? '&' : ''}message=hello`,
      });
      assert.equal(
        res.statusCode,
        403,
        `POST ${route.url} as ${role ?? 'anonymous'} with ${token || 'no token'}`,
      );
      tried++;
    }
  }
  assert.ok(tried >= 2 * platform.routes.routes.filter((r) => r.method === 'POST').length);
  const auditAfter = await platform.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', 'not like', 'authz.%')
    .where('action', 'not like', 'csrf.%')
    .executeTakeFirstOrThrow();
  assert.equal(auditAfter.n, auditBefore.n, 'no action was carried out');
});

test('a session cookie that is not a live session is treated as nobody signed in', async () => {
  const forged = `__Host-sl_session=${'A'.repeat(43)}`;
  for (const route of platform.routes.routes.filter((r) => r.method === 'GET' && r.access !== 'public')) {
    const res = await platform.app.inject({
      method: 'GET',
      url: concrete(route.url),
      headers: { cookie: forged },
    });
    assert.equal(res.statusCode, 303, `GET ${route.url}`);
    assert.match(String(res.headers.location), /^\/accedi\?next=/);
  }
});
