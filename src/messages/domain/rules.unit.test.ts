import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanFilename, isTemplateId, MAX_FILE_BYTES, uploadProblem } from './rules.ts';

describe('message rules', () => {
  const ok = { size: 1000, truncated: false, sniffedType: 'application/pdf', alreadyAttached: 0 };

  test('a small PDF, JPEG or PNG is accepted while fewer than three are attached', () => {
    assert.equal(uploadProblem(ok), null);
    assert.equal(uploadProblem({ ...ok, sniffedType: 'image/png', alreadyAttached: 2 }), null);
  });

  test('a fourth file, an empty one, a too large one and an unknown type are refused', () => {
    assert.equal(uploadProblem({ ...ok, alreadyAttached: 3 }), 'too_many');
    assert.equal(uploadProblem({ ...ok, size: 0 }), 'empty');
    assert.equal(uploadProblem({ ...ok, size: MAX_FILE_BYTES + 1 }), 'too_large');
    assert.equal(uploadProblem({ ...ok, truncated: true }), 'too_large');
    assert.equal(uploadProblem({ ...ok, sniffedType: null }), 'wrong_type');
  });

  test('file names lose their path and control characters', () => {
    assert.equal(cleanFilename('C:\\Users\\x\\busta paga.pdf', 'f'), 'busta paga.pdf');
    assert.equal(cleanFilename('../../a\u0007b.png', 'f'), 'ab.png');
    assert.equal(cleanFilename('', 'allegato'), 'allegato');
  });

  test('only the listed templates exist', () => {
    assert.equal(isTemplateId('document_request'), true);
    assert.equal(isTemplateId('free_text'), false);
    assert.equal(isTemplateId(undefined), false);
  });
});
