/**
 * Bytes a browser would transfer for a page: the HTML (raw and compressed as a reverse proxy
 * would) plus the sub-resources it pulls in (stylesheets, images, icons, manifest, the fonts the
 * CSS @font-face rules reference). Uses node:http so the bytes are counted as they arrive on the
 * wire, without the automatic decompression that fetch() would apply.
 */
import http from 'node:http';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';

export type RawResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Approximate HTTP/1.1 response header bytes (status line + header lines). */
  headerBytes: number;
};

export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let headerBytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          headerBytes,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export type AssetTransfer = {
  url: string;
  kind: string;
  status: number;
  contentEncoding: string;
  bytes: number;
  cacheControl: string;
  immutable: boolean;
};

export type PageTransfer = {
  path: string;
  status: number;
  htmlRawBytes: number;
  htmlGzipBytes: number;
  htmlBrotliBytes: number;
  htmlServedEncoding: string;
  htmlCacheControl: string;
  assets: AssetTransfer[];
  /** First visit: brotli HTML + every sub-resource as served. */
  firstVisitBytes: number;
  /** First visit if nothing (HTML included) were compressed by the proxy: raw HTML + assets as served. */
  firstVisitBytesUncompressedHtml: number;
  /** Repeat visit: brotli HTML only (assets are immutable and content-hashed). */
  repeatVisitBytes: number;
  repeatVisitBytesUncompressedHtml: number;
  /** Extra bytes on repeat visit if the browser re-fetches the manifest (served no-cache without validator). */
  repeatManifestBytes: number;
  allAssetsImmutable: boolean;
};

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
};

/** Sub-resources a browser loads for this HTML (same-origin, no data: URLs). */
export function subResources(html: string): { url: string; kind: string }[] {
  const found: { url: string; kind: string }[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel.includes('stylesheet')) found.push({ url: href, kind: 'stylesheet' });
    else if (rel.includes('icon') || rel.includes('apple-touch-icon'))
      found.push({ url: href, kind: 'icon' });
    else if (rel.includes('manifest')) found.push({ url: href, kind: 'manifest' });
    else if (rel.includes('preload') || rel.includes('modulepreload'))
      found.push({ url: href, kind: 'preload' });
  }
  for (const [tag] of html.matchAll(/<img\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src) found.push({ url: src, kind: 'img' });
  }
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src) found.push({ url: src, kind: 'script' });
  }
  // External SVG sprites (<use href="/assets/sprites.svg#icon">) are fetched too.
  for (const [tag] of html.matchAll(/<use\b[^>]*>/gi)) {
    const href = attr(tag, 'href') ?? attr(tag, 'xlink:href');
    if (href && !href.startsWith('#')) found.push({ url: href.split('#')[0] ?? href, kind: 'sprite' });
  }
  return found.filter((r) => !r.url.startsWith('data:') && !/^[a-z]+:\/\//i.test(r.url));
}

/** Font files referenced by @font-face rules (all of them: conservative). */
export function fontUrls(css: string, cssUrl: string): string[] {
  const urls: string[] = [];
  for (const [rule] of css.matchAll(/@font-face\s*\{[^}]*\}/gi)) {
    for (const m of rule.matchAll(/url\(\s*(?:"([^"]+)"|'([^']+)'|([^)\s]+))\s*\)/gi)) {
      const u = m[1] ?? m[2] ?? m[3] ?? '';
      if (u.startsWith('data:')) continue;
      const resolved = new URL(u, `http://x${cssUrl}`).pathname;
      if (/\.woff2$/i.test(resolved)) urls.push(resolved);
    }
  }
  return [...new Set(urls)];
}

export async function measurePage(baseUrl: string, path: string, cookie?: string): Promise<PageTransfer> {
  const headers: Record<string, string> = { 'accept-encoding': 'br, gzip', accept: 'text/html' };
  if (cookie) headers.cookie = cookie;
  const page = await rawGet(baseUrl + path, headers);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const encoding = String(page.headers['content-encoding'] ?? 'identity');
  // Today the app sends HTML uncompressed (compression is expected from the reverse proxy); should it
  // start compressing, the bytes it actually sends are counted as the "brotli" figure.
  const plain =
    encoding === 'br'
      ? brotliDecompressSync(page.body)
      : encoding === 'gzip'
        ? gunzipSync(page.body)
        : page.body;
  const html = plain.toString('utf8');
  const htmlRaw = plain.length;
  const htmlGzip = encoding === 'gzip' ? page.body.length : gzipSync(plain, { level: 6 }).length;
  // Quality 5: a typical on-the-fly level for a reverse proxy (nginx brotli_comp_level / Caddy range).
  const htmlBrotli =
    encoding === 'br'
      ? page.body.length
      : brotliCompressSync(plain, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: htmlRaw },
        }).length;

  const wanted = subResources(html);
  const assets: AssetTransfer[] = [];
  const seen = new Set<string>();
  const fetchAsset = async (url: string, kind: string): Promise<RawResponse | null> => {
    if (seen.has(url)) return null;
    seen.add(url);
    const res = await rawGet(baseUrl + url, { 'accept-encoding': 'br', ...(cookie ? { cookie } : {}) });
    const cacheControl = String(res.headers['cache-control'] ?? '');
    assets.push({
      url,
      kind,
      status: res.status,
      contentEncoding: String(res.headers['content-encoding'] ?? 'identity'),
      bytes: res.body.length,
      cacheControl,
      immutable: /\bimmutable\b/.test(cacheControl),
    });
    return res;
  };
  for (const { url, kind } of wanted) {
    const res = await fetchAsset(url, kind);
    if (res && kind === 'stylesheet') {
      // Read the CSS itself (decompressed) to find its fonts.
      const plain = await rawGet(baseUrl + url, {});
      for (const font of fontUrls(plain.body.toString('utf8'), url)) await fetchAsset(font, 'font');
    }
  }
  const assetBytes = assets.reduce((s, a) => s + a.bytes, 0);
  const cacheable = assets.filter((a) => a.url.startsWith('/assets/'));
  const manifest = assets.filter((a) => a.kind === 'manifest');
  const manifestRevalidated = manifest.filter((a) => !a.immutable && !/max-age=[1-9]/.test(a.cacheControl));
  return {
    path,
    status: page.status,
    htmlRawBytes: htmlRaw,
    htmlGzipBytes: htmlGzip,
    htmlBrotliBytes: htmlBrotli,
    htmlServedEncoding: encoding,
    htmlCacheControl: String(page.headers['cache-control'] ?? ''),
    assets,
    firstVisitBytes: htmlBrotli + assetBytes,
    firstVisitBytesUncompressedHtml: htmlRaw + assetBytes,
    repeatVisitBytes: htmlBrotli,
    repeatVisitBytesUncompressedHtml: htmlRaw,
    repeatManifestBytes: manifestRevalidated.reduce((s, a) => s + a.bytes, 0),
    allAssetsImmutable: cacheable.length > 0 && cacheable.every((a) => a.immutable),
  };
}
