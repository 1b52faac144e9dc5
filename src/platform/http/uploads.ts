import type { FastifyReply } from 'fastify';

/**
 * Reading a multipart/form-data body (a form with a file). The multipart plugin parses the body
 * before the CSRF check; here the fields become plain strings (as `parseForm` expects) and the file
 * a buffer with its declared name and type. What the file really is, is decided by its bytes.
 */
export type UploadedFile = {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
  /** The file was bigger than UPLOAD_MAX_MB: `data` holds only its beginning and must be refused. */
  truncated: boolean;
};

type Part = {
  type?: 'file' | 'field';
  fieldname?: string;
  value?: unknown;
  filename?: string;
  mimetype?: string;
  _buf?: Buffer;
  file?: { truncated?: boolean };
  toBuffer?: () => Promise<Buffer>;
};

/** Fields as strings (the first value of a repeated field) and the uploaded files with content. */
export async function readMultipart(
  body: unknown,
): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  if (!body || typeof body !== 'object') return { fields, files };
  for (const [name, raw] of Object.entries(body as Record<string, Part | Part[]>)) {
    const part = Array.isArray(raw) ? raw[0] : raw;
    if (!part || typeof part !== 'object') {
      if (typeof part === 'string') fields[name] = part;
      continue;
    }
    if (part.type === 'file') {
      const data = part._buf ?? (part.toBuffer ? await part.toBuffer() : Buffer.alloc(0));
      // A file input left empty arrives as a part with no name and no bytes.
      if (data.length > 0 || part.filename)
        files.push({
          field: name,
          filename: part.filename ?? '',
          mimetype: part.mimetype ?? '',
          data,
          truncated: Boolean(part.file?.truncated),
        });
    } else if (typeof part.value === 'string') {
      fields[name] = part.value;
    }
  }
  return { fields, files };
}

/** A PDF starts with "%PDF-" (possibly after a few bytes of junk, which readers tolerate up to 1 KB). */
export function looksLikePdf(data: Buffer): boolean {
  const head = data.subarray(0, 1024).toString('latin1');
  return head.includes('%PDF-') && data.subarray(-1024).toString('latin1').includes('%%EOF');
}

/** Whether a request carries a multipart body (the form had enctype="multipart/form-data"). */
export function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('multipart/form-data');
}

export type UploadType = 'application/pdf' | 'image/jpeg' | 'image/png';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What an uploaded file really is, decided by its bytes (never by its name or declared type): PDF,
 * JPEG (FF D8 FF) or PNG (its 8-byte signature). Anything else, an EXE renamed .pdf included, is null.
 */
export function sniffUploadType(data: Uint8Array): UploadType | null {
  if (data.length >= 8 && PNG.every((b, i) => data[i] === b)) return 'image/png';
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  return looksLikePdf(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) ? 'application/pdf' : null;
}

/** A stored file sent as a download, never displayed or sniffed by the browser (404 when null). */
export function sendAttachment(
  reply: FastifyReply,
  file: { filename: string; contentType: string | null; content: Buffer } | null,
) {
  if (!file) return reply.callNotFound();
  const ascii = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .header('Content-Type', file.contentType ?? 'application/octet-stream')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .header(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .send(file.content);
}
