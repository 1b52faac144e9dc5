import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import {
  buildAssets,
  collectSources,
  findIconRefs,
  listSpriteSymbols,
  paths,
  purgeCss,
  reduceSprite,
} from '../../../scripts/build-assets.ts';
import { ASSETS_DIR, asset, resetAssetManifest } from './assets.ts';

const EXPECTED_ASSETS = [
  'app.css',
  'cie-icon.svg',
  'icon-192.png',
  'icon-512.png',
  'icon.svg',
  'spid-icon.svg',
  'sprites.svg',
  'titillium-web-400.woff2',
  'titillium-web-600.woff2',
  'titillium-web-700.woff2',
];

let manifest: Record<string, string> = {};

function readManifest(): Record<string, string> {
  return JSON.parse(readFileSync(path.join(ASSETS_DIR, 'manifest.json'), 'utf8')) as Record<string, string>;
}

function builtFile(name: string): string {
  const url = manifest[name];
  assert.ok(url, `manifest has ${name}`);
  return path.join(ASSETS_DIR, url.slice('/assets/'.length));
}

/** Decodes the PNGs written by encodePng (8-bit RGBA, filters None/Sub). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8);
      assert.equal(data[9], 6);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    assert.ok(filter === 0 || filter === 1, `unsupported filter ${filter}`);
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = filter === 1 && x >= 4 ? rgba[y * stride + x - 4]! : 0;
      rgba[y * stride + x] = (value + left) & 0xff;
    }
  }
  return { width, height, rgba };
}

describe('build-assets', () => {
  before(async () => {
    await buildAssets({ quiet: true });
    resetAssetManifest();
    manifest = readManifest();
  });

  test('the manifest lists every asset, with hashed /assets/ URLs of existing files', () => {
    assert.deepEqual(Object.keys(manifest).sort(), EXPECTED_ASSETS);
    for (const [name, url] of Object.entries(manifest)) {
      const ext = path.extname(name);
      const base = path.basename(name, ext);
      assert.match(url, new RegExp(`^/assets/${base}\\.[0-9a-f]{8}\\${ext}$`), name);
      assert.ok(existsSync(builtFile(name)), `${url} exists`);
    }
    // nothing else (stale builds) left in the folder
    const listed = new Set(Object.values(manifest).map((url) => path.basename(url)));
    for (const file of readdirSync(ASSETS_DIR)) {
      if (file === 'manifest.json') continue;
      assert.ok(listed.has(file.replace(/\.(br|gz)$/, '')), `${file} belongs to the manifest`);
    }
  });

  test('asset() resolves logical names and explains unknown ones', () => {
    assert.equal(asset('app.css'), manifest['app.css']);
    assert.throws(() => asset('nope.css'), /"nope\.css".*npm run build/s);
  });

  test('the stylesheet is small, self-hosted and uses the hashed fonts', () => {
    const css = readFileSync(builtFile('app.css'));
    assert.ok(gzipSync(css, { level: 9 }).length < 60 * 1024, 'app.css < 60 KB gzipped');
    const text = css.toString('utf8');
    assert.doesNotMatch(text, /VideoJS|Lora|Roboto Mono|sourceMappingURL/);
    assert.doesNotMatch(text, /url\(\s*["']?data:[^)]*font/);
    assert.equal(text.match(/@font-face/g)?.length, 3);
    assert.equal(text.match(/font-display:\s*swap/g)?.length, 3);
    for (const match of text.matchAll(/url\(\s*["']?(?!data:)([^"')]+)["']?\s*\)/g)) {
      assert.ok(existsSync(path.join(ASSETS_DIR, match[1]!)), `${match[1]} is built`);
    }
    assert.match(text, /^\/\*! *\n \* Bootstrap Italia/, 'license comment kept');
  });

  test('text assets have .br and .gz siblings with the same content', () => {
    for (const name of EXPECTED_ASSETS.filter((n) => /\.(css|svg)$/.test(n))) {
      const file = builtFile(name);
      const original = readFileSync(file);
      assert.ok(brotliDecompressSync(readFileSync(`${file}.br`)).equals(original), `${name}.br`);
      assert.ok(gunzipSync(readFileSync(`${file}.gz`)).equals(original), `${name}.gz`);
    }
  });

  test('the reduced sprite holds exactly the icons referenced in src', () => {
    const available = new Set(listSpriteSymbols(readFileSync(paths.bootstrapSprite, 'utf8')).keys());
    const expected = [...findIconRefs(collectSources(), available)].filter((id) => available.has(id)).sort();
    const built = readFileSync(builtFile('sprites.svg'), 'utf8');
    assert.deepEqual([...listSpriteSymbols(built).keys()].sort(), expected);
  });

  test('the build is deterministic', async () => {
    const firstCss = statSync(builtFile('app.css')).mtimeMs;
    await buildAssets({ quiet: true });
    assert.deepEqual(readManifest(), manifest);
    assert.equal(statSync(builtFile('app.css')).mtimeMs, firstCss, 'unchanged files are not rewritten');
  });

  test('the app icons are PNGs of the right size: blue rounded square, white briefcase', () => {
    for (const size of [192, 512]) {
      const { width, height, rgba } = decodePng(readFileSync(builtFile(`icon-${size}.png`)));
      assert.equal(width, size);
      assert.equal(height, size);
      const pixel = (x: number, y: number) => {
        const i = (Math.floor(y * size) * size + Math.floor(x * size)) * 4;
        return [...rgba.subarray(i, i + 4)];
      };
      assert.equal(pixel(0, 0)[3], 0, 'transparent corner');
      assert.deepEqual(pixel(0.5, 0.1), [0x00, 0x66, 0xcc, 255], 'blue background');
      assert.deepEqual(pixel(0.25, 0.65), [255, 255, 255, 255], 'white briefcase');
    }
  });
});

describe('purgeCss', () => {
  test('keeps the classes used in the content and drops the others', async () => {
    const css = await purgeCss(['<a class="btn btn-primary" href="/">Vai</a>']);
    assert.match(css, /\.btn-primary\{/);
    assert.match(css, /\.btn\{/);
    assert.doesNotMatch(css, /\.carousel/);
    assert.doesNotMatch(css, /\.table\{/);
    assert.doesNotMatch(css, /\.it-header-wrapper/);
    // our own components are always kept; fonts point at logical names without fontUrl
    assert.match(css, /\.sl-eid-button\{/);
    assert.match(css, /url\(titillium-web-400\.woff2\)/);
  });

  test('keeps runtime state classes, dynamic alert variants and RTL overrides', async () => {
    const css = await purgeCss([
      `export const Notice = ({ kind }) => <div class={\`alert alert-\${kind}\`}><ul><li>x</li></ul></div>;`,
      '<input class="form-control" /> <div class="invalid-feedback"></div>',
    ]);
    assert.match(css, /\.alert-danger\{/);
    assert.match(css, /\.alert-success\{/);
    assert.match(css, /\.form-control\.is-invalid/);
    assert.match(css, /\.visually-hidden/);
    assert.match(css, /\[dir=["']rtl["']\] \.alert\{/);
    assert.match(css, /:where\(\[dir=["']rtl["']\]\) ul/);
    assert.match(css, /\[dir=["']rtl["']\] \.invalid-feedback/);
    assert.doesNotMatch(css, /\.it-header-center-wrapper/);
  });
});

describe('sprite reduction', () => {
  test('finds #it-… references and quoted icon names, and keeps only those symbols', () => {
    const sprite = readFileSync(paths.bootstrapSprite, 'utf8');
    const available = new Set(listSpriteSymbols(sprite).keys());
    const refs = findIconRefs(
      [
        `<svg class="icon"><use href={\`\${asset('sprites.svg')}#it-search\`} /></svg>`,
        '<Icon name="it-close" /> <header class="it-header-wrapper"> <a href="#it-not-an-icon">',
      ],
      available,
    );
    assert.deepEqual([...refs].sort(), ['it-close', 'it-not-an-icon', 'it-search']);
    const { svg, missing } = reduceSprite(sprite, refs);
    assert.deepEqual([...listSpriteSymbols(svg).keys()], ['it-close', 'it-search']);
    assert.deepEqual(missing, ['it-not-an-icon']);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"><symbol id="it-close"/);
  });
});
