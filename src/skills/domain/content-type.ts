/**
 * What an evidence file really is, decided by its bytes (never by its name or declared type):
 * PDF ("%PDF-" near the start and "%%EOF" near the end), JPEG (FF D8 FF) or PNG (its 8-byte signature).
 * Anything else — an executable renamed .pdf included — is null and is refused.
 */
export type EvidenceType = 'application/pdf' | 'image/jpeg' | 'image/png';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffEvidenceType(data: Uint8Array): EvidenceType | null {
  if (data.length >= 8 && PNG.every((b, i) => data[i] === b)) return 'image/png';
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  const head = Buffer.from(data.subarray(0, 1024)).toString('latin1');
  const tail = Buffer.from(data.subarray(Math.max(0, data.length - 1024))).toString('latin1');
  if (head.includes('%PDF-') && tail.includes('%%EOF')) return 'application/pdf';
  return null;
}

/** A file name safe to show and to store: no paths, no control characters, at most 200 characters. */
export function cleanFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters (below U+0020 and U+007F) are dropped.
  const clean = [...base]
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim()
    .slice(0, 200);
  return clean || fallback;
}
