import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * The CV as a tagged (accessible) PDF, the same approach as onboarding/adapters/pdf-documents.ts:
 * the document language set, a title shown in the window, fonts embedded, and every piece of text
 * in the structure tree — H1 for the name, H2 per section, lists (L/LI/LBody) for entries.
 */
const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf',
);
const FONT_BOLD = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf',
);

/** One entry of a section: a bold first line, then plain lines. */
export type PdfEntry = { heading: string; lines: string[] };
export type PdfSection = { heading: string; paragraphs?: string[]; entries?: PdfEntry[] };
export type CvPdfInput = { lang: string; title: string; author: string; sections: PdfSection[] };

export async function renderCvPdf(input: CvPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: input.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: input.title, Author: input.author, Subject: input.title, CreationDate: new Date() },
  });
  doc.registerFont('body', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('H1', {}, () => doc.font('bold').fontSize(22).fillColor('#003366').text(input.title)));
  for (const section of input.sections) {
    root.add(
      doc.struct('H2', {}, () =>
        doc.moveDown(0.8).font('bold').fontSize(14).fillColor('#003366').text(section.heading),
      ),
    );
    for (const p of section.paragraphs ?? []) {
      root.add(
        doc.struct('P', {}, () => doc.moveDown(0.2).font('body').fontSize(11).fillColor('#000000').text(p)),
      );
    }
    const entries = section.entries ?? [];
    if (entries.length === 0) continue;
    const list = doc.struct('L');
    root.add(list);
    for (const entry of entries) {
      const item = doc.struct('LI');
      list.add(item);
      item.add(
        doc.struct('Lbl', {}, () =>
          doc.moveDown(0.3).font('bold').fontSize(11).fillColor('#000000').text('• ', { continued: true }),
        ),
      );
      const body = doc.struct('LBody');
      item.add(body);
      body.add(doc.struct('Span', {}, () => doc.font('bold').text(entry.heading)));
      for (const line of entry.lines) {
        body.add(
          doc.struct('P', {}, () =>
            doc.font('body').fontSize(10.5).fillColor('#1a1a1a').text(line, { indent: 10 }),
          ),
        );
      }
      body.end();
      item.end();
    }
    list.end();
  }
  root.end();
  doc.end();
  return done;
}
