import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseText, searchTextOf, splitAltLabels } from './normalise.ts';

describe('normaliseText', () => {
  it('lower-cases, strips accents and punctuation', () => {
    assert.equal(normaliseText('  Infermière  '), 'infermiere');
    assert.equal(normaliseText("Addetto all'Accoglienza"), 'addetto all accoglienza');
    assert.equal(normaliseText('Operatore socio-sanitario (OSS)'), 'operatore socio sanitario oss');
    assert.equal(normaliseText('waiter/waitress'), 'waiter waitress');
    assert.equal(normaliseText('Straße Æsir'), 'strasse aesir');
    assert.equal(normaliseText('ÉLECTRICIEN'), 'electricien');
  });

  it('keeps letters of other scripts', () => {
    assert.equal(normaliseText('ممرض'), 'ممرض');
  });
});

describe('searchTextOf', () => {
  it('joins the normalised labels once each', () => {
    assert.equal(searchTextOf(['Cuoco', 'cuoco', 'Cuoca', null, '']), 'cuoco | cuoca');
  });
});

describe('splitAltLabels', () => {
  it('splits the main files one label per line', () => {
    assert.deepEqual(splitAltLabels('general nurse\r\nregistered nurse\n\n nurse \n', 'newline'), [
      'general nurse',
      'registered nurse',
      'nurse',
    ]);
  });

  it('splits the collection files on " | " only', () => {
    assert.deepEqual(splitAltLabels('collaborate | teamwork | work in teams|groups', 'pipe'), [
      'collaborate',
      'teamwork',
      'work in teams|groups',
    ]);
  });

  it('drops repeats and empty values', () => {
    assert.deepEqual(splitAltLabels('a\na\n', 'newline'), ['a']);
    assert.deepEqual(splitAltLabels('', 'pipe'), []);
    assert.deepEqual(splitAltLabels(undefined, 'newline'), []);
  });
});
