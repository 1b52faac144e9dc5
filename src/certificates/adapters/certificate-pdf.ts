import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Block, CertificateContent } from '../domain/documents.ts';

/**
 * The certificates as tagged (accessible) PDFs, the approach of onboarding/adapters/pdf-documents.ts
 * (document language, title shown in the window, Titillium embedded, QR code as a Figure with its
 * text alternative), plus what a certificate needs and `renderTaggedPdf` does not draw: label/value
 * and multi-column tables tagged as Table/TR/TH/TD, with the header row repeated after a page break.
 */
const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.ttf',
);
const FONT_BOLD = require.resolve(
  'bootstrap-italia/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.ttf',
);

export type CertificatePdfInput = {
  lang: string;
  issuer: string;
  content: CertificateContent;
  verification: { code: string; url: string; heading: string; text: string; qrAlt: string };
};

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const MARGIN = 56;
const PAD = 4;

function drawTable(doc: Doc, root: Struct, head: string[] | null, rows: string[][], widths: number[]): void {
  const table = doc.struct('Table');
  root.add(table);
  const left = MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'body').fontSize(10);
    return (
      Math.max(
        ...cells.map((c, i) => doc.heightOfString(c || ' ', { width: (widths[i] ?? 100) - 2 * PAD })),
      ) +
      2 * PAD
    );
  };
  const artifact = (type: 'Layout' | 'Pagination', draw: () => void) => {
    doc.markContent('Artifact', { type });
    draw();
    doc.endMarkedContent();
  };
  /** One row; a header repeated after a page break is drawn as a pagination artifact, not tagged again. */
  const drawRow = (cells: string[], header: boolean, firstIsHeader: boolean, repeated = false) => {
    const h = rowHeight(cells, header);
    if (!repeated && doc.y + h > bottom()) {
      doc.addPage();
      if (head && !header) drawRow(head, true, false, true);
    }
    const top = doc.y;
    const total = widths.reduce((a, b) => a + b, 0);
    if (header) artifact('Layout', () => doc.rect(left, top, total, h).fill('#e6eef7'));
    const tr = repeated ? null : doc.struct('TR');
    if (tr) table.add(tr);
    let x = left;
    cells.forEach((cell, i) => {
      const width = widths[i] ?? 100;
      const isTh = header || (firstIsHeader && i === 0);
      const cellX = x;
      const draw = () => {
        doc
          .font(isTh ? 'bold' : 'body')
          .fontSize(10)
          .fillColor('#000000')
          .text(cell || ' ', cellX + PAD, top + PAD, { width: width - 2 * PAD });
      };
      if (tr) tr.add(doc.struct(isTh ? 'TH' : 'TD', {}, draw));
      else artifact('Pagination', draw);
      x += width;
    });
    tr?.end();
    artifact('Layout', () =>
      doc
        .moveTo(left, top + h)
        .lineTo(x, top + h)
        .lineWidth(0.5)
        .strokeColor('#b0b0b0')
        .stroke(),
    );
    doc.x = left;
    doc.y = top + h;
  };
  if (head) drawRow(head, true, false);
  for (const r of rows) drawRow(r, false, head === null);
  table.end();
  doc.x = left;
  doc.moveDown(0.5);
}

function block(doc: Doc, root: Struct, b: Block, contentWidth: number): void {
  if (b.type === 'h2') {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    root.add(
      doc.struct('H2', {}, () =>
        doc.moveDown(0.6).font('bold').fontSize(13).fillColor('#003366').text(b.text, MARGIN, doc.y),
      ),
    );
  } else if (b.type === 'p') {
    root.add(
      doc.struct('P', {}, () =>
        doc.moveDown(0.2).font('body').fontSize(10.5).fillColor('#000000').text(b.text, MARGIN, doc.y),
      ),
    );
  } else if (b.type === 'fields') {
    doc.moveDown(0.3);
    const first = Math.round(contentWidth * 0.33);
    drawTable(doc, root, null, b.rows, [first, contentWidth - first]);
  } else {
    doc.moveDown(0.3);
    const n = b.head.length;
    // The first column (dates, periods, names) narrower when there are three or more columns.
    const widths =
      n >= 3
        ? [Math.round(contentWidth * 0.22), ...Array(n - 1).fill(Math.floor((contentWidth * 0.78) / (n - 1)))]
        : Array(n).fill(Math.floor(contentWidth / n));
    drawTable(doc, root, b.head, b.rows, widths);
  }
}

export async function renderCertificatePdf(
  input: CertificatePdfInput,
): Promise<{ pdf: Buffer; sha256: string }> {
  const qr = await QRCode.toBuffer(input.verification.url, {
    errorCorrectionLevel: 'M',
    margin: 1,
    scale: 4,
  });
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    tagged: true,
    lang: input.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: input.content.title,
      Author: input.issuer,
      Subject: input.content.title,
      Keywords: input.verification.code,
      CreationDate: new Date(),
    },
  });
  doc.registerFont('body', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const contentWidth = doc.page.width - 2 * MARGIN;

  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('P', {}, () => doc.font('bold').fontSize(11).fillColor('#003366').text(input.issuer)));
  root.add(
    doc.struct('H1', {}, () =>
      doc.moveDown(0.4).font('bold').fontSize(18).fillColor('#003366').text(input.content.title),
    ),
  );
  for (const b of input.content.blocks) block(doc, root, b, contentWidth);

  if (doc.y > doc.page.height - MARGIN - 190) doc.addPage();
  root.add(
    doc.struct('H2', {}, () =>
      doc
        .moveDown(0.8)
        .font('bold')
        .fontSize(13)
        .fillColor('#003366')
        .text(input.verification.heading, MARGIN, doc.y),
    ),
  );
  root.add(
    doc.struct('P', {}, () =>
      doc.font('body').fontSize(10.5).fillColor('#000000').text(input.verification.text, MARGIN, doc.y),
    ),
  );
  root.add(
    doc.struct('P', {}, () =>
      doc.font('bold').fontSize(12).text(`${input.verification.code} — ${input.verification.url}`),
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
