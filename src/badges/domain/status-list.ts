import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0: one bit per credential (1 = revoked), the zeroth bit being the
 * most significant bit of the first byte; the list is GZIP-compressed and published as a
 * multibase base64url string (prefix "u"). The spec asks for at least 16 KB (131 072 entries) so
 * that a single revocation does not reveal who it is about.
 */
export const STATUS_LIST_BITS = 131_072;

export function encodeStatusList(setIndices: Iterable<number>, bits = STATUS_LIST_BITS): string {
  if (bits < STATUS_LIST_BITS || bits % 8 !== 0) throw new RangeError('status list too short');
  const bytes = new Uint8Array(bits / 8);
  for (const index of setIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= bits) throw new RangeError(`bad index ${index}`);
    bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (0x80 >> (index & 7));
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

export function decodeStatusList(encoded: string): Uint8Array {
  if (!encoded.startsWith('u')) throw new Error('encodedList must be multibase base64url');
  const compressed = Buffer.from(encoded.slice(1), 'base64url');
  return new Uint8Array(gunzipSync(compressed, { maxOutputLength: 16 * 1024 * 1024 }));
}

export function statusBit(list: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= list.length * 8)
    throw new RangeError('index out of range');
  return ((list[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}
