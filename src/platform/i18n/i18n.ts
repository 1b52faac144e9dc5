import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';

/**
 * One i18n layer for every string. Italian is the reference language; English is complete;
 * Arabic (right-to-left) covers at least the shell and falls back to English, then Italian.
 */
export const LANGUAGES = [
  { code: 'it', name: 'Italiano', dir: 'ltr' },
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];
export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && LANGUAGES.some((l) => l.code === value);
}

export function directionOf(lang: Lang): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? 'ltr';
}

type Tree = { [key: string]: string | Tree };

const SRC = fileURLToPath(new URL('../../', import.meta.url));

/** Every `locales/<lang>.json` and `locales/<part>.<lang>.json` under src/, so each context keeps its own strings. */
function catalogueFiles(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        path.basename(dir) === 'locales' &&
        (entry.name === `${lang}.json` || entry.name.endsWith(`.${lang}.json`))
      )
        out.push(full);
    }
  };
  walk(SRC);
  return out.sort();
}

function merge(into: Tree, from: Tree, file: string, prefix = ''): void {
  for (const [k, v] of Object.entries(from)) {
    const existing = into[k];
    if (typeof v === 'string' || existing === undefined) {
      if (existing !== undefined) throw new Error(`i18n key ${prefix}${k} is defined twice (${file})`);
      into[k] = v;
    } else if (typeof existing === 'string') {
      throw new Error(`i18n key ${prefix}${k} is both a string and a section (${file})`);
    } else {
      merge(existing, v, file, `${prefix}${k}.`);
    }
  }
}

export function loadCatalogue(lang: Lang): Tree {
  const tree: Tree = {};
  for (const file of catalogueFiles(lang)) merge(tree, JSON.parse(readFileSync(file, 'utf8')) as Tree, file);
  return tree;
}

/** Flatten {a:{b:'x'}} to {'a.b':'x'}: used by the missing-key test. */
export function flattenKeys(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flattenKeys(v, key)) out.set(kk, vv);
  }
  return out;
}

const instance = i18next.createInstance();
let ready = false;

export function initI18n(): void {
  if (ready) return;
  void instance.init({
    initAsync: false,
    lng: 'it',
    fallbackLng: { ar: ['en', 'it'], en: ['it'], default: ['it'] },
    supportedLngs: LANGUAGES.map((l) => l.code),
    resources: Object.fromEntries(LANGUAGES.map((l) => [l.code, { translation: loadCatalogue(l.code) }])),
    interpolation: { escapeValue: false }, // templates escape on output
    returnNull: false,
  });
  ready = true;
}

const FALLBACKS: Record<string, readonly Lang[]> = { ar: ['en', 'it'], en: ['it'], default: ['it'] };

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The string of `key` with plain `{{name}}` placeholders only, or null when i18next must do the work
 * (missing key, nesting `$t(…)`, formatting `{{x, number}}`, unescaped `{{- x}}`, plural variants).
 */
function plainTemplate(lang: Lang, key: string): { text: string; names: string[] } | null {
  for (const l of chainOf(lang)) {
    const text = instance.getResource(l, 'translation', key);
    if (typeof text !== 'string') {
      if (instance.getResource(l, 'translation', `${key}_other`) !== undefined) return null;
      continue;
    }
    return plainPlaceholders(text);
  }
  return null;
}

/** The language and its fallbacks, in i18next's order. */
function chainOf(lang: Lang): readonly Lang[] {
  return [lang, ...(FALLBACKS[lang] ?? FALLBACKS.default ?? [])];
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(lang: string, count: number): string {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules.select(count);
}

/**
 * The string i18next would pick for `key` with a numeric `count` (its lookup: in each language of
 * the chain, `key_zero` when count is 0, then `key_<plural category of that language>`, then `key`),
 * when it has plain `{{name}}` placeholders only; null when i18next must do the work.
 */
function pluralTemplate(lang: Lang, key: string, count: number): { text: string; names: string[] } | null {
  for (const l of chainOf(lang)) {
    const keys = [`${key}_${pluralCategory(l, count)}`, key];
    if (count === 0) keys.unshift(`${key}_zero`);
    for (const k of keys) {
      const text = instance.getResource(l, 'translation', k);
      if (text === undefined) continue;
      return typeof text === 'string' ? plainPlaceholders(text) : null;
    }
  }
  return null;
}

/** The text and its placeholder names, or null when it needs i18next (nesting, formats, `{{- x}}`). */
function plainPlaceholders(text: string): { text: string; names: string[] } | null {
  if (text.includes('$t(')) return null;
  const names: string[] = [];
  for (const braces of text.match(/\{\{[^}]*\}\}/g) ?? []) {
    const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(braces);
    if (!m?.[1]) return null;
    names.push(m[1]);
  }
  return { text, names };
}

/** i18next itself, with no shortcut (the reference the shortcut is tested against). */
export function i18nextTranslator(lang: Lang): Translate {
  initI18n();
  const fixed: TFunction = instance.getFixedT(lang);
  return (key, values) => String(fixed(key, values ?? {}));
}

const cache = new Map<Lang, Translate>();

export function translator(lang: Lang): Translate {
  initI18n();
  let t = cache.get(lang);
  if (!t) {
    const fixed: TFunction = instance.getFixedT(lang);
    // i18next lookups are not cheap (a page may make hundreds): strings without values are resolved
    // once per language, and plain `{{name}}` templates are filled here; i18next does the rest
    // (plurals by `count`, context, nesting, formats, missing values).
    const memo = new Map<string, string>();
    const chain = chainOf(lang);
    const templates = new Map<string, { text: string; names: string[] } | null>();
    t = (key, values) => {
      if (values) {
        const count = values.count;
        const plural = typeof count === 'number' && !('context' in values) && !('ordinal' in values);
        // A plural's template depends on the count's category in each language of the chain.
        const cacheKey = plural
          ? `${key}\u0000${count === 0 ? 'zero' : chain.map((l) => pluralCategory(l, count)).join(',')}`
          : key;
        let template = templates.get(cacheKey);
        if (template === undefined) {
          template = plural ? pluralTemplate(lang, key, count) : plainTemplate(lang, key);
          templates.set(cacheKey, template);
        }
        if (
          template === null ||
          (!plural && 'count' in values) ||
          'context' in values ||
          template.names.some(
            (n) => values[n] === undefined || values[n] === null || typeof values[n] === 'object',
          )
        )
          return String(fixed(key, values));
        return template.text.replace(PLACEHOLDER, (_, name: string) => String(values[name]));
      }
      let text = memo.get(key);
      if (text === undefined) {
        text = String(fixed(key, {}));
        memo.set(key, text);
      }
      return text;
    };
    cache.set(lang, t);
  }
  return t;
}
