/**
 * Pseudonyms of candidates shown to a company before the person accepts a contact request.
 *
 * - `candidatePseudonym`: a stable label per company and person ("7F3K-92"), an HMAC of both ids with
 *   a secret from config, so two companies see different labels for the same person and nobody can
 *   walk back from the label to the person.
 * - `sealCandidate` / `openCandidate`: the opaque handle a company's forms carry instead of the
 *   person's id (AES-256-GCM, key derived from the secret and the company), so a handle copied to
 *   another company opens to nothing.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { ForgetfulMap, LruMap } from '../../platform/memory/bounded-maps.ts';

/** Crockford's base32 without I, L, O, U: easy to read aloud and to copy. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function candidatePseudonym(secret: string, companyId: string, citizenId: string): string {
  const mac = createHmac('sha256', secret).update(`candidate-pseudonym:${companyId}:${citizenId}`).digest();
  let out = '';
  for (let i = 0; i < 6; i++) out += ALPHABET[(mac[i] ?? 0) % 32];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** Keys already derived, by secret and company: a page seals up to 20 handles for one company. */
const keys = new ForgetfulMap<string, Buffer>(1000);

function keyOf(secret: string, companyId: string): Buffer {
  const id = `${secret}\u0000${companyId}`;
  let key = keys.get(id);
  if (!key) {
    key = createHmac('sha256', secret).update(`candidate-handle:${companyId}`).digest();
    keys.set(id, key);
  }
  return key;
}

/**
 * Random IVs taken from a pool filled 256 at a time: one system call per 256 handles rather than one
 * per card on a page of candidates (as Node does for randomUUID). Each IV's bytes are used once.
 */
let ivPool = Buffer.alloc(0);
let ivNext = 0;
function freshIv(): Buffer {
  if (ivNext + 12 > ivPool.length) {
    ivPool = randomBytes(12 * 256);
    ivNext = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivNext, ivNext + 12));
  ivNext += 12;
  return iv;
}

export function sealCandidate(secret: string, companyId: string, citizenId: string): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret, companyId), iv);
  const body = Buffer.concat([cipher.update(citizenId.toLowerCase(), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/**
 * The label and a sealed handle of a person as one company's results show them. A page of results
 * makes 20 of each (an HMAC and an AES-GCM seal apiece: 6% of the page's time, profiled under
 * bench/load.ts), and a company pages back and forth over the same people, so the pairs are kept in a
 * bounded map: a handle shown again is one shown before, which opens as well as a fresh one.
 */
export function candidateLabels(
  secret: string,
  companyId: string,
  citizenId: string,
): { pseudonym: string; handle: string } {
  const key = `${companyId}:${citizenId}`;
  let labels = labelsShown.get(key); // the least recently shown are dropped first
  if (labels === undefined || labels.secret !== secret) {
    labels = {
      secret,
      pseudonym: candidatePseudonym(secret, companyId, citizenId),
      handle: sealCandidate(secret, companyId, citizenId),
    };
    labelsShown.set(key, labels);
  }
  return { pseudonym: labels.pseudonym, handle: labels.handle };
}
const labelsShown = new LruMap<string, { secret: string; pseudonym: string; handle: string }>(20_000);

/** The person's id, or null for anything that is not a handle sealed for this company. */
export function openCandidate(secret: string, companyId: string, handle: unknown): string | null {
  if (typeof handle !== 'string' || handle.length < 40 || handle.length > 200) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return null;
  try {
    const raw = Buffer.from(handle, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret, companyId), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const id = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** A distance shown as a band, never the exact km (which would narrow down the municipality). */
export function kmBand(km: number | null): 'remote' | '0-10' | '10-25' | '25-50' | '50-100' | '100+' {
  if (km === null) return 'remote';
  if (km < 10) return '0-10';
  if (km < 25) return '10-25';
  if (km < 50) return '25-50';
  if (km < 100) return '50-100';
  return '100+';
}

/** Years of work from the profile's work history ({from: 'YYYY-MM', to: 'YYYY-MM' | null}), whole years. */
export function experienceYears(
  history: readonly { from?: unknown; to?: unknown }[] | null | undefined,
  today = new Date(),
): number {
  if (!Array.isArray(history)) return 0;
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/;
  const nowIndex = today.getUTCFullYear() * 12 + today.getUTCMonth();
  let months = 0;
  for (const w of history) {
    const from = typeof w?.from === 'string' ? month.exec(w.from) : null;
    if (!from) continue;
    const to = typeof w.to === 'string' ? month.exec(w.to) : null;
    const start = Number(from[1]) * 12 + Number(from[2]) - 1;
    const end = to ? Number(to[1]) * 12 + Number(to[2]) - 1 + 1 : nowIndex;
    if (end > start) months += Math.min(end, nowIndex + 1) - start;
  }
  return Math.floor(Math.max(0, months) / 12);
}
