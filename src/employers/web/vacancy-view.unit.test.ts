import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestContext } from '../../platform/http/context.ts';
import { formatDay } from './vacancy-view.tsx';

const ctx = (lang: string) => ({ lang }) as RequestContext;

test('a day is shown in the reader’s language, the same on every call, and a bad one as it came', () => {
  assert.equal(formatDay(ctx('it'), '2026-03-05'), '5 marzo 2026');
  assert.equal(formatDay(ctx('it'), '2026-03-05'), '5 marzo 2026');
  assert.equal(formatDay(ctx('en'), '2026-03-05'), 'March 5, 2026');
  // Arabic with Latin digits, as everywhere else on the platform.
  assert.match(formatDay(ctx('ar'), '2026-03-05'), /^5 .+ 2026$/);
  assert.equal(formatDay(ctx('it'), 'not-a-day'), 'not-a-day');
  assert.equal(formatDay(ctx('it'), null), '');
});
