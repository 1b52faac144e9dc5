import { createHash, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * Documents issued to people as tagged (accessible) PDFs: a title, headings and paragraphs in the
 * structure tree, the document language set, fonts embedded, the QR code as a figure with a text
 * alternative, and the verification code printed in words.
 */
const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf',
);
const FONT_BOLD = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf',
);

/** Codes people can read aloud or type: no 0/O or 1/I, grouped by four. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newVerificationCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export type DocumentSection = { heading?: string; paragraphs: string[] };

export type PdfDocumentInput = {
  lang: string;
  title: string;
  issuer: string;
  sections: DocumentSection[];
  verification: { code: string; url: string; label: string; qrAlt: string };
};

export async function renderTaggedPdf(input: PdfDocumentInput): Promise<{ pdf: Buffer; sha256: string }> {
  const qr = await QRCode.toBuffer(input.verification.url, {
    errorCorrectionLevel: 'M',
    margin: 1,
    scale: 4,
  });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: input.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: input.title, Author: input.issuer, Subject: input.title, CreationDate: new Date() },
  });
  doc.registerFont('body', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('P', {}, () => doc.font('body').fontSize(10).fillColor('#404040').text(input.issuer)));
  root.add(
    doc.struct('H1', {}, () =>
      doc.moveDown(0.5).font('bold').fontSize(20).fillColor('#003366').text(input.title),
    ),
  );
  for (const section of input.sections) {
    if (section.heading) {
      const heading = section.heading;
      root.add(
        doc.struct('H2', {}, () =>
          doc.moveDown(0.8).font('bold').fontSize(13).fillColor('#000000').text(heading),
        ),
      );
    }
    for (const p of section.paragraphs) {
      root.add(
        doc.struct('P', {}, () => doc.moveDown(0.3).font('body').fontSize(11).fillColor('#000000').text(p)),
      );
    }
  }
  root.add(
    doc.struct('H2', {}, () =>
      doc.moveDown(1).font('bold').fontSize(13).fillColor('#000000').text(input.verification.label),
    ),
  );
  root.add(
    doc.struct('P', {}, () =>
      doc.font('body').fontSize(11).text(`${input.verification.code} — ${input.verification.url}`),
    ),
  );
  root.add(
    doc.struct('Figure', { alt: input.verification.qrAlt }, () =>
      doc.moveDown(0.5).image(qr, { width: 110 }),
    ),
  );
  root.end();
  doc.end();
  const pdf = await done;
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') };
}
