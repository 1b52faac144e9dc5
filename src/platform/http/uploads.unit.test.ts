import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikePdf, readMultipart } from './uploads.ts';

test('multipart fields become strings and the file keeps its bytes, name and type', async () => {
  const body = {
    _csrf: { type: 'field', fieldname: '_csrf', value: 'token' },
    note: { type: 'field', fieldname: 'note', value: 'Ero dal medico' },
    file: {
      type: 'file',
      fieldname: 'file',
      filename: 'certificato.pdf',
      mimetype: 'application/pdf',
      toBuffer: async () => Buffer.from('%PDF-1.7\n…\n%%EOF\n'),
    },
    empty: {
      type: 'file',
      fieldname: 'empty',
      filename: '',
      mimetype: 'application/octet-stream',
      _buf: Buffer.alloc(0),
    },
  };
  const { fields, files } = await readMultipart(body);
  assert.deepEqual(fields, { _csrf: 'token', note: 'Ero dal medico' });
  assert.equal(files.length, 1);
  assert.equal(files[0]!.filename, 'certificato.pdf');
  assert.equal(files[0]!.truncated, false);
  assert.ok(looksLikePdf(files[0]!.data));
});

test('a file cut at the size limit is flagged, so the page can refuse it by name', async () => {
  const { files } = await readMultipart({
    file: {
      type: 'file',
      fieldname: 'file',
      filename: 'grande.pdf',
      mimetype: 'application/pdf',
      file: { truncated: true },
      _buf: Buffer.from('%PDF-1.7\n'),
    },
  });
  assert.equal(files[0]!.truncated, true);
});

test('a PDF is recognised by its bytes, not by its name', () => {
  assert.equal(looksLikePdf(Buffer.from('%PDF-1.4\nabc\n%%EOF')), true);
  assert.equal(looksLikePdf(Buffer.from('MZ\x90\x00 not a pdf')), false);
  assert.equal(looksLikePdf(Buffer.from('%PDF-1.4 truncated without the end')), false);
  assert.equal(looksLikePdf(Buffer.alloc(0)), false);
});
