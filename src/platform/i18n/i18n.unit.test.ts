import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dateTimeFormat, numberFormat, romeDay } from './format.ts';
import { flattenKeys, i18nextTranslator, loadCatalogue, translator } from './i18n.ts';

const it = flattenKeys(loadCatalogue('it'));
/** i18next plural variants (key_one, key_few …): languages have different sets of them. */
const isPlural = (key: string) => /_(zero|one|two|few|many|other)$/.test(key);
const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const en = flattenKeys(loadCatalogue('en'));
const ar = flattenKeys(loadCatalogue('ar'));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry) && !entry.includes('.test.')) out.push(full);
  }
  return out;
}

test('English has exactly the keys of Italian', () => {
  const missing = [...it.keys()].filter((k) => !en.has(k));
  const extra = [...en.keys()].filter((k) => !it.has(k));
  assert.deepEqual(missing, [], `missing in en.json: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `unknown keys in en.json: ${extra.join(', ')}`);
});

test('Arabic covers the whole shell and has no unknown keys', () => {
  const shell = ['app.', 'shell.', 'nav.', 'form.', 'errors.'];
  const missing = [...it.keys()].filter((k) => shell.some((p) => k.startsWith(p)) && !ar.has(k));
  assert.deepEqual(missing, [], `missing in ar.json: ${missing.join(', ')}`);
  assert.deepEqual(
    [...ar.keys()].filter((k) => !it.has(k) && !(isPlural(k) && it.has(`${pluralBase(k)}_other`))),
    [],
  );
});

test('placeholders are the same in every language', () => {
  const vars = (s: string) =>
    [...s.matchAll(/\{\{(\w+)\}\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
  for (const [key, text] of it) {
    for (const [name, other] of [
      ['en', en],
      ['ar', ar],
    ] as const) {
      const t = other.get(key);
      // Plural forms may leave the number out ("un giorno"): only the other form must carry it.
      if (t !== undefined && !isPlural(key)) assert.equal(vars(t), vars(text), `${name}:${key}`);
    }
  }
});

test('every literal key used in the code exists in Italian', () => {
  const used = new Set<string>();
  for (const file of sourceFiles(path.resolve('src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) if (m[1]) used.add(m[1]);
    for (const m of text.matchAll(/\bkey: '([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) if (m[1]) used.add(m[1]);
  }
  assert.ok(used.size > 100, `found only ${used.size} keys`);
  // Plural keys are stored as key_one / key_other (i18next).
  const missing = [...used].filter((k) => !it.has(k) && !it.has(`${k}_other`));
  assert.deepEqual(missing, [], `keys used in code but missing in it.json: ${missing.join(', ')}`);
});

test('Arabic now has every Italian key, and the Arabic catalogue is used', () => {
  const missing = [...it.keys()].filter((k) => !ar.has(k));
  assert.deepEqual(missing, [], `missing in ar.json files: ${missing.join(', ')}`);
  assert.equal(translator('ar')('shell.needHelp'), ar.get('shell.needHelp'));
  assert.notEqual(translator('ar')('shell.needHelp'), en.get('shell.needHelp'));
});

test('the fast path for plain placeholders gives exactly what i18next gives, in every language', () => {
  const it = flattenKeys(loadCatalogue('it'));
  let compared = 0;
  for (const lang of ['it', 'en', 'ar'] as const) {
    const fast = translator(lang);
    const reference = i18nextTranslator(lang);
    for (const [key, text] of it) {
      const names = [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] as string);
      if (names.length === 0 || isPlural(key)) continue;
      const values = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 42 : `«${n}»`]));
      assert.equal(fast(key, values), reference(key, values), `${lang} ${key}`);
      compared++;
    }
  }
  assert.ok(compared > 100, `only ${compared} strings compared`);
  // Values i18next treats specially still go through i18next.
  assert.equal(translator('it')('jobs.km', {}), i18nextTranslator('it')('jobs.km', {}));
});

test('the fast path for plurals gives exactly what i18next gives, for every count category, in every language', () => {
  // Each plural key with the placeholder names of all its variants, so every value is given.
  const bases = new Map<string, Set<string>>();
  for (const catalogue of [loadCatalogue('it'), loadCatalogue('ar')]) {
    for (const [key, text] of flattenKeys(catalogue)) {
      if (!isPlural(key)) continue;
      const names = bases.get(pluralBase(key)) ?? new Set<string>();
      for (const m of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) names.add(m[1] as string);
      bases.set(pluralBase(key), names);
    }
  }
  let compared = 0;
  for (const lang of ['it', 'en', 'ar'] as const) {
    const fast = translator(lang);
    const reference = i18nextTranslator(lang);
    for (const [key, names] of bases) {
      // 0 (zero forms), 1, 2, 3–10, 11–99, 100+, a fraction, a million (Italian's 'many').
      for (const count of [0, 1, 2, 3, 7, 11, 25, 100, 102, 1.5, 1_000_000]) {
        const values: Record<string, unknown> = Object.fromEntries([...names].map((n) => [n, `«${n}»`]));
        values.count = count;
        assert.equal(fast(key, values), reference(key, values), `${lang} ${key} ${count}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 300, `only ${compared} plural strings compared`);
  // A count with a context still goes through i18next.
  assert.equal(
    translator('it')('jobs.km', { count: 2, context: 'x' }),
    i18nextTranslator('it')('jobs.km', { count: 2, context: 'x' }),
  );
});

test('dates and numbers are formatted with the shared formatters, never one built per call', () => {
  // Building an Intl formatter costs more than formatting with it: under load a page that built
  // one per request spent a tenth of its CPU there (issue 10). format.ts keeps one per locale and options.
  const src = path.resolve(import.meta.dirname, '../..');
  const builders = /new Intl\.(DateTimeFormat|NumberFormat|DisplayNames)\(|\.toLocale(Date|Time)?String\(/;
  const offenders = sourceFiles(src)
    .filter((f) => !f.endsWith(path.join('i18n', 'format.ts')))
    .filter((f) => builders.test(readFileSync(f, 'utf8')))
    .map((f) => path.relative(src, f));
  assert.deepEqual(offenders, []);
});

test('a shared formatter is one instance per locale and options, and formats like a new one', () => {
  const at = new Date('2026-03-29T00:30:00Z');
  const options = { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Rome' } as const;
  assert.equal(dateTimeFormat('it', options), dateTimeFormat('it', { ...options }));
  assert.notEqual(dateTimeFormat('it', options), dateTimeFormat('en', options));
  for (const lang of ['it', 'en', 'ar', 'uk']) {
    assert.equal(dateTimeFormat(lang, options).format(at), new Intl.DateTimeFormat(lang, options).format(at));
  }
  assert.equal(romeDay(at), '2026-03-29');
  assert.equal(romeDay(new Date('2026-03-28T22:59:00Z')), '2026-03-28');
  assert.equal(numberFormat('it', { maximumFractionDigits: 1 }).format(1234.56), '1234,6');
});
