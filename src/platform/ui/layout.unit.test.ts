import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { SessionUser } from '../auth/session.ts';
import type { RequestContext } from '../http/context.ts';
import { directionOf, type Lang, translator } from '../i18n/i18n.ts';
import { buildAssetsIfMissing } from './assets.ts';
import { Layout } from './layout.tsx';

// The layout links the built stylesheet and icons: a clean checkout builds them first.
before(async () => {
  await buildAssetsIfMissing();
});

function ctxOf(lang: Lang, path: string, role: string | null, regionName = 'Umbria'): RequestContext {
  const user = role
    ? ({ id: 'u', role, regionCode: '10', givenName: 'Anna', familyName: 'Neri' } as unknown as SessionUser)
    : null;
  return {
    lang,
    dir: directionOf(lang),
    t: translator(lang),
    session: null,
    user,
    csrfToken: 'token',
    path,
    url: path,
    regionName,
    demo: false,
    requestId: 'r',
  };
}

const page = (ctx: RequestContext) =>
  renderToString(h(Layout, { ctx, title: 'Pagina', children: h('p', null, 'corpo') }));
const currentLinks = (html: string) =>
  [...html.matchAll(/<a href="([^"]*)" aria-current="page"/g)].map((m) => m[1]);

test('the frame kept as HTML marks the current page among the role links, whatever page came before', () => {
  // The same role on three pages, in turn: each page marks only itself, or nothing.
  assert.deepEqual(currentLinks(page(ctxOf('it', '/piano', 'citizen'))), ['/piano']);
  assert.deepEqual(currentLinks(page(ctxOf('it', '/messaggi', 'citizen'))), ['/messaggi']);
  assert.deepEqual(currentLinks(page(ctxOf('it', '/profilo/modifica', 'citizen'))), []);
  assert.deepEqual(currentLinks(page(ctxOf('it', '/piano', 'citizen'))), ['/piano']);
  // Another role sees its own links, and a visitor none.
  const operator = page(ctxOf('it', '/operatore/agenda', 'cpi_operator'));
  assert.deepEqual(currentLinks(operator), ['/operatore/agenda']);
  assert.equal(operator.includes('href="/piano"'), false);
  assert.equal(page(ctxOf('it', '/', null)).includes('class="sl-role-nav"'), false);
});

test('the frame follows the language and the Region, and its help link carries the page, encoded', () => {
  const it = page(ctxOf('it', '/piano', 'citizen'));
  const en = page(ctxOf('en', '/piano', 'citizen'));
  assert.ok(it.includes(`>${translator('it')('nav.plan')}<`));
  assert.ok(en.includes(`>${translator('en')('nav.plan')}<`));
  assert.notEqual(it, en);
  assert.ok(page(ctxOf('it', '/piano', 'citizen', 'Marche')).includes('Marche'));
  const odd = page(ctxOf('it', '/x"><script>alert(1)</script>', 'citizen'));
  assert.equal(odd.includes('<script>'), false);
  assert.ok(odd.includes('/aiuto?da=%2Fx%22%3E%3Cscript%3E'));
});
