import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Hashed static assets built by scripts/build-assets.ts into public/build/ and served at /assets/.
 * `asset('app.css')` -> '/assets/app.3f9a1c2b.css'.
 */
const MANIFEST_URL = new URL('../../../public/build/manifest.json', import.meta.url);
const MANIFEST_PATH = fileURLToPath(MANIFEST_URL);

/** The folder to serve at /assets/ (public/build/, absolute). */
export const ASSETS_DIR = fileURLToPath(new URL('../../../public/build/', import.meta.url));

type Manifest = Readonly<Record<string, string>>;

let manifest: Manifest | undefined;

function loadManifest(): Manifest {
  if (manifest) return manifest;
  if (!existsSync(MANIFEST_URL)) {
    throw new Error(
      `Asset manifest not found at ${MANIFEST_PATH}: run \`npm run build\` (tsx scripts/build-assets.ts).`,
    );
  }
  const parsed: unknown = JSON.parse(readFileSync(MANIFEST_URL, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((value) => typeof value === 'string')
  ) {
    throw new Error(`Asset manifest ${MANIFEST_PATH} is malformed: run \`npm run build\` to regenerate it.`);
  }
  manifest = parsed as Manifest;
  return manifest;
}

/** URL path of a built asset, by logical name ('app.css', 'sprites.svg', 'icon-192.png', …). */
export function asset(name: string): string {
  const entries = loadManifest();
  const url = Object.hasOwn(entries, name) ? entries[name] : undefined;
  if (url === undefined) {
    throw new Error(
      `Unknown asset "${name}": it is not in ${MANIFEST_PATH}. Run \`npm run build\` (tsx scripts/build-assets.ts) ` +
        `to rebuild the assets. Known assets: ${Object.keys(entries).join(', ')}.`,
    );
  }
  return url;
}

/** Forgets the cached manifest (after a rebuild in the same process). */
export function resetAssetManifest(): void {
  manifest = undefined;
}

/**
 * Builds the assets in-process when public/build/manifest.json is absent (fresh checkout, tests).
 * Returns true when it built them. The build script (and PurgeCSS, a dev dependency) is only
 * loaded in that case, so production images with prebuilt assets don't need it.
 */
export async function buildAssetsIfMissing(): Promise<boolean> {
  if (existsSync(MANIFEST_URL)) return false;
  const { buildAssets } = await import('../../../scripts/build-assets.ts');
  await buildAssets({ quiet: true });
  manifest = undefined;
  return true;
}
