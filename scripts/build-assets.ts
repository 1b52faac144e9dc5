/**
 * Builds the static assets served at /assets/ into public/build/ (git-ignored):
 *
 * - app.<hash>.css: bootstrap-italia purged against src/**\/*.ts(x) + src/platform/ui/styles/app.css,
 *   with Titillium Web @font-face rules pointing at the hashed woff2 files;
 * - titillium-web-{400,600,700}.<hash>.woff2;
 * - sprites.<hash>.svg: only the bootstrap-italia icons referenced in the sources (`#it-name`);
 * - spid-icon, cie-icon, icon (SVG) and icon-192/icon-512 (PNG, rasterised here);
 * - .br (brotli 11) and .gz siblings of every text asset;
 * - manifest.json: logical name -> URL path ("app.css" -> "/assets/app.3f9a1c2b.css").
 *
 * Run with `tsx scripts/build-assets.ts`. Deterministic and idempotent: unchanged files are not
 * rewritten, outdated hashed files are removed.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, crc32, deflateSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { PurgeCSS } from 'purgecss';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BI_DIST = path.join(ROOT, 'node_modules', 'bootstrap-italia', 'dist');
const UI_DIR = path.join(ROOT, 'src', 'platform', 'ui');

export const paths = {
  root: ROOT,
  src: path.join(ROOT, 'src'),
  out: path.join(ROOT, 'public', 'build'),
  manifest: path.join(ROOT, 'public', 'build', 'manifest.json'),
  bootstrapCss: path.join(BI_DIST, 'css', 'bootstrap-italia.min.css'),
  bootstrapSprite: path.join(BI_DIST, 'svg', 'sprites.svg'),
  appCss: path.join(UI_DIR, 'styles', 'app.css'),
  brand: path.join(UI_DIR, 'brand'),
} as const;

/** URL prefix under which the app serves public/build. */
export const URL_PREFIX = '/assets/';

/** Logical font name (as used in app.css url()) -> bootstrap-italia file. */
const FONTS: Readonly<Record<string, string>> = {
  'titillium-web-400.woff2': 'Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2',
  'titillium-web-600.woff2': 'Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2',
  'titillium-web-700.woff2': 'Titillium_Web/titillium-web-v10-latin-ext_latin-700.woff2',
};

const SERIF_STACK = 'Georgia,"Times New Roman",serif';
const MONO_STACK = 'ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace';

/**
 * Classes/attributes toggled at runtime or built from variables, which may never appear literally in
 * the templates. A compound selector survives only if all of its parts are used, so e.g.
 * `.dropdown-menu.show` is kept only when `dropdown-menu` is in the sources. The app ships no
 * bootstrap-italia JavaScript: if it ever does, add the classes its plugins toggle (`showing`,
 * `collapsing`, `is-sticky`, `just-validate-*`, …).
 */
const SAFELIST: (string | RegExp)[] = [
  'html',
  'body',
  // attribute names: keeps [dir=rtl] / [hidden] rules
  'dir',
  'hidden',
  'show',
  'active',
  'disabled',
  'collapsed',
  'expanded',
  'is-invalid',
  'is-valid',
  'was-validated',
  'visually-hidden',
  'visually-hidden-focusable',
  'focus--keyboard',
  'focus--mouse',
  // alert variants are chosen from a variable (`alert-${kind}`)
  /^alert-(success|info|warning|danger)$/,
  // our own components (app.css)
  /^sl-/,
];

/**
 * Elements that may reach the page without appearing in a template (translations, markdown). Passed
 * as tags only, so that e.g. the `table` element does not keep the `.table` class.
 */
const BASE_TAGS = `html body header nav main section article aside footer h1 h2 h3 h4 h5 h6 p a strong b em i
small mark code kbd pre abbr sup sub hr br img svg ul ol li dl dt dd table caption thead tbody tr th td
form fieldset legend label input button select option textarea details summary blockquote address time`;

// ---------------------------------------------------------------------------
// Sources

/** Text of every src/**\/*.ts and *.tsx file, tests excluded, in a stable order. */
export function collectSources(dir: string = paths.src): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/\.d\.ts$/.test(file) && !/\.(test|spec)\.tsx?$/.test(file))
    .filter((file) => !file.split(path.sep).includes('node_modules'))
    .sort()
    .map((file) => readFileSync(path.join(dir, file), 'utf8'));
}

// ---------------------------------------------------------------------------
// CSS

/** Naive minifier for our own stylesheet (see the header of app.css). */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

/** bootstrap-italia CSS ready to be purged: no embedded fonts, system serif/monospace stacks. */
function prepareBootstrapCss(raw: string): string {
  return (
    raw
      .replace(/^\uFEFF/, '')
      .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')
      .replace(/@font-face\s*\{[^}]*url\(\s*["']?data:[^}]*\}/g, '')
      // Lora: .font-serif gets system serif fonts, components (callout, card text…) the body font
      .replace(/(\.font-serif\{font-family:)"Lora",\s*Georgia,\s*serif/g, `$1${SERIF_STACK}`)
      .replace(/"Lora",\s*Georgia,\s*serif/g, 'inherit')
      .replace(/"Roboto Mono",\s*monospace/g, MONO_STACK)
  );
}

/** Drops the `sel{}` / `@media …{}` rules left empty by the purge. */
function removeEmptyRules(css: string): string {
  let previous: string;
  let current = css;
  do {
    previous = current;
    current = current.replace(/(^|[{}]|\*\/)[^{}]*?\{\s*\}/g, (match, lead: string) => {
      // never swallow a comment that precedes the rule
      const body = match.slice(lead.length);
      return body.includes('/*') ? match : lead;
    });
  } while (current !== previous);
  return current;
}

export interface PurgeOptions {
  /** Maps a logical font name (url() in app.css) to the URL written in the CSS. */
  fontUrl?: (name: string) => string;
}

/**
 * Purges bootstrap-italia + app.css against `contents` (template sources) and returns the final
 * stylesheet: license comment, @font-face rules, purged rules.
 */
export async function purgeCss(contents: readonly string[], options: PurgeOptions = {}): Promise<string> {
  const fontUrl = options.fontUrl ?? ((name: string) => name);
  const bootstrap = prepareBootstrapCss(readFileSync(paths.bootstrapCss, 'utf8'));
  const license = /^\s*(\/\*![\s\S]*?\*\/)/.exec(bootstrap)?.[1] ?? '';

  const app = minifyCss(readFileSync(paths.appCss, 'utf8'));
  const fontFaces = (app.match(/@font-face\{[^}]*\}/g) ?? []).map((rule) =>
    rule.replace(/url\((['"]?)([^'")]+)\1\)/g, (_match, _quote: string, name: string) => {
      if (!Object.hasOwn(FONTS, name))
        throw new Error(`app.css: unknown font "${name}" (known: ${Object.keys(FONTS).join(', ')})`);
      return `url(${fontUrl(name)})`;
    }),
  );
  const appRules = app.replace(/@font-face\{[^}]*\}/g, '');

  const [result] = await new PurgeCSS().purge({
    content: [
      { raw: BASE_TAGS, extension: 'base-tags' },
      ...contents.map((raw) => ({ raw, extension: 'tsx' })),
    ],
    extractors: [
      {
        extensions: ['base-tags'],
        extractor: (raw: string) => ({
          tags: raw.split(/\s+/),
          classes: [],
          ids: [],
          attributes: { names: ['dir', 'lang'], values: ['ltr', 'rtl'] },
          undetermined: [],
        }),
      },
    ],
    css: [{ raw: `${bootstrap.slice(bootstrap.indexOf(license) + license.length)}\n${appRules}` }],
    safelist: { standard: SAFELIST },
    fontFace: true,
    keyframes: true,
    variables: true,
  });
  if (!result) throw new Error('PurgeCSS returned no result');
  const purged = removeEmptyRules(result.css).trim();
  return `${license}\n${fontFaces.join('')}${purged}\n`;
}

// ---------------------------------------------------------------------------
// SVG sprite

const ICON_ID = 'it-[a-z0-9]+(?:-[a-z0-9]+)*';

/** `<symbol id="it-…">` elements of a sprite, by id. */
export function listSpriteSymbols(sprite: string): Map<string, string> {
  const symbols = new Map<string, string>();
  for (const match of sprite.matchAll(/<symbol\b[^>]*\bid="([^"]+)"[^>]*>[\s\S]*?<\/symbol>/g)) {
    symbols.set(match[1]!, match[0]);
  }
  return symbols;
}

/**
 * Icons referenced by the sources: every `#it-name` (e.g. `<use href={`${sprite}#it-search`}>`),
 * plus quoted names ('it-search') that are sprite symbols, for icon components taking a name.
 */
export function findIconRefs(contents: readonly string[], available: ReadonlySet<string>): Set<string> {
  const refs = new Set<string>();
  const hashRef = new RegExp(`#(${ICON_ID})`, 'g');
  const quotedRef = new RegExp(`(['"\`])(${ICON_ID})\\1`, 'g');
  for (const text of contents) {
    for (const match of text.matchAll(hashRef)) refs.add(match[1]!);
    for (const match of text.matchAll(quotedRef)) if (available.has(match[2]!)) refs.add(match[2]!);
  }
  return refs;
}

/** A sprite with only the requested symbols; `missing` lists ids that the sprite lacks. */
export function reduceSprite(sprite: string, ids: Iterable<string>): { svg: string; missing: string[] } {
  const symbols = listSpriteSymbols(sprite);
  const kept: string[] = [];
  const missing: string[] = [];
  for (const id of [...new Set(ids)].sort()) {
    const symbol = symbols.get(id);
    if (symbol) kept.push(symbol);
    else missing.push(id);
  }
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg">${kept.join('')}</svg>`, missing };
}

export function minifySvg(svg: string): string {
  return svg
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------
// PNG: a rasteriser for SVGs made only of <rect> and <circle>, and an encoder.

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; rx: number }
  | { kind: 'circle'; cx: number; cy: number; r: number };

interface DrawOp {
  shape: Shape;
  fill: Rgba | null;
  stroke: Rgba | null;
  strokeWidth: number;
}

const NAMED_COLORS: Readonly<Record<string, string>> = { white: '#ffffff', black: '#000000' };

function parseColor(value: string | undefined, fallback: Rgba | null): Rgba | null {
  if (value === undefined) return fallback;
  const color = NAMED_COLORS[value.trim().toLowerCase()] ?? value.trim();
  if (color === 'none') return null;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const hex = short ? short.slice(1).map((c) => c + c) : long?.slice(1);
  if (!hex) throw new Error(`rasterizeSvg: unsupported colour "${value}" (use #rgb, #rrggbb or none)`);
  const [r, g, b] = hex.map((h) => Number.parseInt(h, 16) / 255) as [number, number, number];
  return { r, g, b, a: 1 };
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = match[2] ?? match[3] ?? '';
  }
  return attributes;
}

function parseSvgShapes(svg: string): { viewBox: [number, number, number, number]; ops: DrawOp[] } {
  const clean = svg.replace(/<!--[\s\S]*?-->/g, '').replace(/<title>[\s\S]*?<\/title>/g, '');
  const root = /<svg\b([^>]*)>/.exec(clean);
  if (!root) throw new Error('rasterizeSvg: no <svg> element');
  const rootAttributes = parseAttributes(root[1]!);
  const viewBox = (rootAttributes.viewBox ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (viewBox.length !== 4 || viewBox.some((n) => !Number.isFinite(n))) {
    throw new Error('rasterizeSvg: the <svg> needs a viewBox="minX minY width height"');
  }
  const num = (attributes: Record<string, string>, name: string, fallback = 0): number => {
    const value = attributes[name];
    if (value === undefined) return fallback;
    const parsed = Number.parseFloat(value);
    if (!Number.isFinite(parsed)) throw new Error(`rasterizeSvg: bad ${name}="${value}"`);
    return parsed;
  };
  const ops: DrawOp[] = [];
  for (const element of clean
    .slice(root.index + root[0].length)
    .matchAll(/<([a-zA-Z][\w:-]*)\b([^>]*?)\/?>/g)) {
    const tag = element[1]!;
    const attributes = parseAttributes(element[2]!);
    let shape: Shape;
    if (tag === 'rect') {
      const width = num(attributes, 'width');
      const height = num(attributes, 'height');
      shape = {
        kind: 'rect',
        x: num(attributes, 'x'),
        y: num(attributes, 'y'),
        width,
        height,
        rx: Math.min(num(attributes, 'rx', num(attributes, 'ry')), width / 2, height / 2),
      };
    } else if (tag === 'circle') {
      shape = {
        kind: 'circle',
        cx: num(attributes, 'cx'),
        cy: num(attributes, 'cy'),
        r: num(attributes, 'r'),
      };
    } else {
      throw new Error(`rasterizeSvg: unsupported element <${tag}> (only <rect> and <circle>)`);
    }
    ops.push({
      shape,
      fill: parseColor(attributes.fill, { r: 0, g: 0, b: 0, a: 1 }),
      stroke: parseColor(attributes.stroke, null),
      strokeWidth: num(attributes, 'stroke-width', 1),
    });
  }
  return { viewBox: viewBox as [number, number, number, number], ops };
}

/** Signed distance from (px, py) to the shape outline (negative inside), in user units. */
function signedDistance(shape: Shape, px: number, py: number): number {
  if (shape.kind === 'circle') return Math.hypot(px - shape.cx, py - shape.cy) - shape.r;
  const halfW = shape.width / 2;
  const halfH = shape.height / 2;
  const qx = Math.abs(px - (shape.x + halfW)) - (halfW - shape.rx);
  const qy = Math.abs(py - (shape.y + halfH)) - (halfH - shape.rx);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - shape.rx;
}

function shapeBounds(shape: Shape): [number, number, number, number] {
  return shape.kind === 'circle'
    ? [shape.cx - shape.r, shape.cy - shape.r, shape.cx + shape.r, shape.cy + shape.r]
    : [shape.x, shape.y, shape.x + shape.width, shape.y + shape.height];
}

/**
 * Renders an SVG made only of <rect> (x, y, width, height, rx) and <circle> (cx, cy, r) with
 * fill/stroke/stroke-width to a size×size RGBA bitmap (straight alpha), antialiased.
 */
export function rasterizeSvg(svg: string, size: number): Uint8Array {
  const { viewBox, ops } = parseSvgShapes(svg);
  const [minX, minY, vbWidth, vbHeight] = viewBox;
  const scale = size / Math.max(vbWidth, vbHeight);
  const premultiplied = new Float64Array(size * size * 4);

  const paint = (
    color: Rgba,
    bounds: [number, number, number, number],
    distance: (x: number, y: number) => number,
  ) => {
    const x0 = Math.max(0, Math.floor((bounds[0] - minX) * scale) - 1);
    const y0 = Math.max(0, Math.floor((bounds[1] - minY) * scale) - 1);
    const x1 = Math.min(size, Math.ceil((bounds[2] - minX) * scale) + 1);
    const y1 = Math.min(size, Math.ceil((bounds[3] - minY) * scale) + 1);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const d = distance(minX + (x + 0.5) / scale, minY + (y + 0.5) / scale) * scale;
        const alpha = Math.min(1, Math.max(0, 0.5 - d)) * color.a;
        if (alpha === 0) continue;
        const i = (y * size + x) * 4;
        premultiplied[i] = color.r * alpha + premultiplied[i]! * (1 - alpha);
        premultiplied[i + 1] = color.g * alpha + premultiplied[i + 1]! * (1 - alpha);
        premultiplied[i + 2] = color.b * alpha + premultiplied[i + 2]! * (1 - alpha);
        premultiplied[i + 3] = alpha + premultiplied[i + 3]! * (1 - alpha);
      }
    }
  };

  for (const op of ops) {
    const bounds = shapeBounds(op.shape);
    if (op.fill) paint(op.fill, bounds, (x, y) => signedDistance(op.shape, x, y));
    if (op.stroke && op.strokeWidth > 0) {
      const half = op.strokeWidth / 2;
      const grown: [number, number, number, number] = [
        bounds[0] - half,
        bounds[1] - half,
        bounds[2] + half,
        bounds[3] + half,
      ];
      paint(op.stroke, grown, (x, y) => Math.abs(signedDistance(op.shape, x, y)) - half);
    }
  }

  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = premultiplied[i + 3]!;
    if (alpha <= 0) continue;
    rgba[i] = Math.round((premultiplied[i]! / alpha) * 255);
    rgba[i + 1] = Math.round((premultiplied[i + 1]! / alpha) * 255);
    rgba[i + 2] = Math.round((premultiplied[i + 2]! / alpha) * 255);
    rgba[i + 3] = Math.round(alpha * 255);
  }
  return rgba;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** Encodes an RGBA bitmap (8 bits per channel, straight alpha) as PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('encodePng: bitmap size mismatch');
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 1; // filter: Sub
    for (let x = 0; x < stride; x++) {
      const i = y * stride + x;
      raw[row + 1 + x] = (rgba[i]! - (x >= 4 ? rgba[i - 4]! : 0)) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------
// Output

interface Asset {
  /** Logical name, the manifest key. */
  name: string;
  /** Hashed file name in public/build. */
  file: string;
  data: Buffer;
  /** Text assets get .br and .gz siblings. */
  text: boolean;
}

const HASHED_FILE = /\.[0-9a-f]{8}\.[a-z0-9]+(?:\.br|\.gz)?$/;

function hashedName(name: string, data: Buffer): string {
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 8);
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`;
}

function makeAsset(name: string, data: Buffer, text: boolean): Asset {
  return { name, file: hashedName(name, data), data, text };
}

/** Writes atomically, and only when the content changed (keeps mtimes, hence ETags, stable). */
function writeIfChanged(file: string, data: Buffer): void {
  if (existsSync(file) && readFileSync(file).equals(data)) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

function formatSize(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1024).toFixed(1)} KB`;
}

function printTable(rows: { file: string; raw: number; gz?: number; br?: number }[]): void {
  const header = ['file', 'raw', 'gzip', 'br'];
  const cells = rows.map((row) => [row.file, formatSize(row.raw), formatSize(row.gz), formatSize(row.br)]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => cell[column]!.length)),
  );
  const line = (cell: string[]) =>
    cell
      .map((value, column) => (column === 0 ? value.padEnd(widths[0]!) : value.padStart(widths[column]!)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const cell of cells) console.log(line(cell));
}

export interface BuildOptions {
  /** Do not print the size table. */
  quiet?: boolean;
}

export async function buildAssets(options: BuildOptions = {}): Promise<void> {
  const started = performance.now();
  const contents = collectSources();
  const assets: Asset[] = [];

  for (const [name, file] of Object.entries(FONTS)) {
    assets.push(makeAsset(name, readFileSync(path.join(BI_DIST, 'fonts', file)), false));
  }
  const fileOf = (name: string): string => {
    const found = assets.find((asset) => asset.name === name);
    if (!found) throw new Error(`internal: asset ${name} not built yet`);
    return found.file;
  };
  // Fonts sit next to the CSS, so relative URLs work whatever the mount point.
  const css = await purgeCss(contents, { fontUrl: fileOf });
  assets.push(makeAsset('app.css', Buffer.from(css), true));

  const sprite = readFileSync(paths.bootstrapSprite, 'utf8');
  const symbols = listSpriteSymbols(sprite);
  const reduced = reduceSprite(sprite, findIconRefs(contents, new Set(symbols.keys())));
  if (reduced.missing.length > 0) {
    console.warn(
      `build-assets: icons referenced but not in the bootstrap-italia sprite: ${reduced.missing.join(', ')}`,
    );
  }
  assets.push(makeAsset('sprites.svg', Buffer.from(reduced.svg), true));

  const brandSvg = (file: string) => minifySvg(readFileSync(path.join(paths.brand, file), 'utf8'));
  assets.push(makeAsset('spid-icon.svg', Buffer.from(brandSvg('spid-icon.svg')), true));
  assets.push(makeAsset('cie-icon.svg', Buffer.from(brandSvg('cie-icon.svg')), true));
  const appIcon = brandSvg('app-icon.svg');
  assets.push(makeAsset('icon.svg', Buffer.from(appIcon), true));
  for (const size of [192, 512]) {
    assets.push(makeAsset(`icon-${size}.png`, encodePng(size, size, rasterizeSvg(appIcon, size)), false));
  }

  mkdirSync(paths.out, { recursive: true });
  const keep = new Set<string>(['manifest.json']);
  const rows: { file: string; raw: number; gz?: number; br?: number }[] = [];
  for (const asset of assets) {
    const target = path.join(paths.out, asset.file);
    writeIfChanged(target, asset.data);
    keep.add(asset.file);
    if (asset.text) {
      const gz = gzipSync(asset.data, { level: 9 });
      const br = brotli(asset.data);
      writeIfChanged(`${target}.gz`, gz);
      writeIfChanged(`${target}.br`, br);
      keep.add(`${asset.file}.gz`).add(`${asset.file}.br`);
      rows.push({ file: asset.file, raw: asset.data.length, gz: gz.length, br: br.length });
    } else {
      rows.push({ file: asset.file, raw: asset.data.length });
    }
  }
  const manifest = Object.fromEntries(
    assets
      .map((asset) => [asset.name, `${URL_PREFIX}${asset.file}`] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  writeIfChanged(paths.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const file of readdirSync(paths.out)) {
    if (HASHED_FILE.test(file) && !keep.has(file)) rmSync(path.join(paths.out, file), { force: true });
  }

  if (!options.quiet) {
    printTable(rows);
    const row = (name: string) => rows.find((r) => r.file === fileOf(name));
    const firstVisit = ['app.css', 'sprites.svg', ...Object.keys(FONTS)]
      .map((name) => row(name))
      .reduce((total, r) => total + (r?.br ?? r?.raw ?? 0), 0);
    console.log(`\nCSS + fonts + sprite, brotli: ${formatSize(firstVisit)} (HTML not included)`);
    console.log(
      `${assets.length} assets in ${path.relative(ROOT, paths.out)} (${Math.round(performance.now() - started)} ms)`,
    );
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  buildAssets().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
