import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ageOn,
  checkCharacter,
  computeCodiceFiscale,
  foldLetters,
  hasCodiceFiscaleShape,
  isValidPartitaIva,
  normaliseCodiceFiscale,
  omocodicVariant,
  partitaIvaCheckDigit,
  validateCodiceFiscale,
} from './codice-fiscale.ts';

const TODAY = '2026-06-15';

describe('normaliseCodiceFiscale', () => {
  it('trims, uppercases and strips inner spaces', () => {
    assert.equal(normaliseCodiceFiscale('  rss mra 80a01 h501u '), 'RSSMRA80A01H501U');
  });
});

describe('hasCodiceFiscaleShape', () => {
  it('tells fiscal codes, omocodic ones included, from names', () => {
    const code = 'RSSMRA80A01H501U';
    assert.equal(hasCodiceFiscaleShape(code), true);
    for (let level = 1; level <= 7; level++)
      assert.equal(hasCodiceFiscaleShape(omocodicVariant(code, level)), true);
    // The check character is not checked: a mistyped last letter is still looked up as a code.
    assert.equal(hasCodiceFiscaleShape('RSSMRA80A01H501A'), true);
    for (const text of [
      'ROSSI',
      'ROSSI MARIO',
      'DE LUCA MAR',
      'RSSMRA80A01H501',
      'RSSMRA80Z01H501U',
      'rssmra80a01h501u',
    ])
      assert.equal(hasCodiceFiscaleShape(text), false, text);
  });
});

describe('validateCodiceFiscale', () => {
  it('accepts a known-good code and decodes it', () => {
    assert.deepEqual(validateCodiceFiscale('RSSMRA80A01H501U', TODAY), {
      ok: true,
      value: 'RSSMRA80A01H501U',
      birthDate: '1980-01-01',
      sex: 'M',
      birthPlaceCode: 'H501',
      bornAbroad: false,
    });
  });

  it('accepts lowercase input with spaces', () => {
    const r = validateCodiceFiscale(' rssmra80a01h501u ', TODAY);
    assert.equal(r.ok, true);
  });

  it('decodes women (day + 40)', () => {
    const r = validateCodiceFiscale('RSSMRA80A41H501Y', TODAY);
    assert.ok(r.ok);
    assert.equal(r.sex, 'F');
    assert.equal(r.birthDate, '1980-01-01');
  });

  it('places the year in the most recent century not in the future', () => {
    // Matteo Moretti, born 9 April 1925 in Milano (the textbook example).
    const before = validateCodiceFiscale('MRTMTT25D09F205Z', '2025-04-08');
    assert.ok(before.ok);
    assert.equal(before.birthDate, '1925-04-09');
    const onTheDay = validateCodiceFiscale('MRTMTT25D09F205Z', '2025-04-09');
    assert.ok(onTheDay.ok);
    assert.equal(onTheDay.birthDate, '2025-04-09');
  });

  it('flags people born abroad', () => {
    const code = computeCodiceFiscale({
      givenName: 'Andrei',
      familyName: 'Popescu',
      birthDate: '1990-03-12',
      sex: 'M',
      birthPlaceCode: 'Z129',
    });
    const r = validateCodiceFiscale(code, TODAY);
    assert.ok(r.ok);
    assert.equal(r.bornAbroad, true);
    assert.equal(r.birthPlaceCode, 'Z129');
  });

  it('accepts every omocodic variant and decodes the same data', () => {
    for (let level = 1; level <= 7; level++) {
      const variant = omocodicVariant('RSSMRA80A01H501U', level);
      const r = validateCodiceFiscale(variant, TODAY);
      assert.ok(r.ok, variant);
      assert.equal(r.value, variant);
      assert.equal(r.birthDate, '1980-01-01');
      assert.equal(r.birthPlaceCode, 'H501');
      assert.equal(r.sex, 'M');
    }
    // Level 1 replaces the last digit of the place code: 1 → M.
    assert.equal(omocodicVariant('RSSMRA80A01H501U', 1).slice(0, 15), 'RSSMRA80A01H50M');
    assert.equal(omocodicVariant('RSSMRA80A01H501U', 7).slice(0, 15), 'RSSMRAULALMHRLM');
  });

  it('rejects a wrong check character', () => {
    assert.deepEqual(validateCodiceFiscale('RSSMRA80A01H501V', TODAY), {
      ok: false,
      reason: 'check_character',
    });
  });

  it('rejects malformed codes', () => {
    for (const bad of [
      '',
      'RSSMRA80A01H501',
      'RSSMRA80A01H501UU',
      'RSSMRA80F01H501U',
      '1SSMRA80A01H501U',
      'RSSMRA8KA01H501U',
    ]) {
      assert.deepEqual(validateCodiceFiscale(bad, TODAY), { ok: false, reason: 'format' }, bad);
    }
  });

  it('rejects impossible dates with a correct check character', () => {
    const withCheck = (first15: string) => first15 + checkCharacter(first15);
    // 30 February (B = February), for a man and for a woman (70 = 30 + 40).
    assert.deepEqual(validateCodiceFiscale(withCheck('RSSMRA80B30H501'), TODAY), {
      ok: false,
      reason: 'date',
    });
    assert.deepEqual(validateCodiceFiscale(withCheck('RSSMRA80B70H501'), TODAY), {
      ok: false,
      reason: 'date',
    });
    // Day 00, day 32…40 and day 72+ do not exist.
    for (const day of ['00', '32', '40', '72']) {
      assert.deepEqual(validateCodiceFiscale(withCheck(`RSSMRA80A${day}H501`), TODAY), {
        ok: false,
        reason: 'date',
      });
    }
    // 29 February exists only in leap years.
    assert.equal(validateCodiceFiscale(withCheck('RSSMRA84B29H501'), TODAY).ok, true);
    assert.deepEqual(validateCodiceFiscale(withCheck('RSSMRA83B29H501'), TODAY), {
      ok: false,
      reason: 'date',
    });
  });
});

describe('computeCodiceFiscale', () => {
  it('computes the known code for Mario Rossi, born 1980-01-01 in Roma', () => {
    assert.equal(
      computeCodiceFiscale({
        givenName: 'Mario',
        familyName: 'Rossi',
        birthDate: '1980-01-01',
        sex: 'M',
        birthPlaceCode: 'H501',
      }),
      'RSSMRA80A01H501U',
    );
  });

  it('adds 40 to the day for women', () => {
    const code = computeCodiceFiscale({
      givenName: 'Maria',
      familyName: 'Rossi',
      birthDate: '1980-01-01',
      sex: 'F',
      birthPlaceCode: 'H501',
    });
    assert.equal(code, 'RSSMRA80A41H501Y');
  });

  it('applies the surname and given-name letter rules', () => {
    const part = (givenName: string, familyName: string) =>
      computeCodiceFiscale({
        givenName,
        familyName,
        birthDate: '1990-05-14',
        sex: 'M',
        birthPlaceCode: 'G478',
      }).slice(0, 6);
    // Given name with 4+ consonants: 1st, 3rd and 4th (G, N, F of G-N-F-R-N-C).
    assert.equal(part('Gianfranco', 'Rossi'), 'RSSGFR');
    assert.equal(part('Roberto', 'Rossi').slice(3), 'RRT');
    // Exactly three consonants: all of them, in order.
    assert.equal(part('Marco', 'Rossi').slice(3), 'MRC');
    // Few consonants: consonants then vowels; too short: padded with X.
    assert.equal(part('Luca', 'Fo'), 'FOXLCU');
    assert.equal(part('Ua', 'Oe'), 'OEXUAX');
    // Accents folded; apostrophes and spaces ignored.
    assert.equal(part('Nicolò', "D'Àmico"), 'DMCNCL');
    assert.equal(part('Maria Grazia', 'De Luca'), 'DLCMGR');
  });

  it('folds letters from other alphabets with diacritics', () => {
    assert.equal(foldLetters('Ștefănescu'), 'STEFANESCU');
    assert.equal(foldLetters('Çela Ëndri'), 'CELAENDRI');
    assert.equal(foldLetters('Łukasz Groß'), 'LUKASZGROSS');
  });

  it('refuses impossible input', () => {
    const base = { givenName: 'Mario', familyName: 'Rossi', sex: 'M' as const, birthPlaceCode: 'H501' };
    assert.throws(() => computeCodiceFiscale({ ...base, birthDate: '1980-02-30' }), RangeError);
    assert.throws(() => computeCodiceFiscale({ ...base, birthDate: '1980-1-1' }), RangeError);
    assert.throws(
      () => computeCodiceFiscale({ ...base, birthDate: '1980-01-01', birthPlaceCode: 'H50' }),
      RangeError,
    );
    assert.throws(
      () => computeCodiceFiscale({ ...base, birthDate: '1980-01-01', givenName: '—' }),
      RangeError,
    );
  });

  it('round-trips birth date, sex and place through validate (property)', () => {
    const letters = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZàèéìòùÀÈ '".split('')),
      minLength: 1,
      maxLength: 20,
    });
    const name = letters.filter((s) => foldLetters(s) !== '');
    const day = 24 * 3600 * 1000;
    const todayMs = Date.UTC(2026, 5, 15);
    // Born at most 99 years before "today", so the century is unambiguous.
    const birthDate = fc
      .integer({ min: 0, max: 99 * 365 })
      .map((d) => new Date(todayMs - d * day).toISOString().slice(0, 10));
    const place = fc
      .tuple(fc.constantFrom(...'ABCDEFGHILMZ'.split('')), fc.integer({ min: 0, max: 999 }))
      .map(([l, n]) => `${l}${String(n).padStart(3, '0')}`);
    fc.assert(
      fc.property(
        name,
        name,
        birthDate,
        fc.constantFrom('M' as const, 'F' as const),
        place,
        (g, f, b, sex, p) => {
          const code = computeCodiceFiscale({
            givenName: g,
            familyName: f,
            birthDate: b,
            sex,
            birthPlaceCode: p,
          });
          const r = validateCodiceFiscale(code, TODAY);
          assert.ok(r.ok, code);
          assert.equal(r.birthDate, b);
          assert.equal(r.sex, sex);
          assert.equal(r.birthPlaceCode, p);
          assert.equal(r.bornAbroad, p.startsWith('Z'));
          // Every omocodic variant decodes to the same person.
          const v = validateCodiceFiscale(omocodicVariant(code, 7), TODAY);
          assert.ok(v.ok);
          assert.equal(v.birthDate, b);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ageOn', () => {
  it('counts whole years', () => {
    assert.equal(ageOn('1980-01-01', '2026-06-15'), 46);
    assert.equal(ageOn('2008-06-15', '2026-06-15'), 18);
    assert.equal(ageOn('2008-06-16', '2026-06-15'), 17);
  });

  it('lets a 29 February birthday fall on 1 March in common years', () => {
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
  });
});

describe('partita IVA', () => {
  it('checks the Luhn-style check digit', () => {
    const first10 = '0123456054';
    const valid = `${first10}${partitaIvaCheckDigit(first10)}`;
    assert.equal(isValidPartitaIva(valid), true);
    const wrong = `${first10}${(partitaIvaCheckDigit(first10) + 1) % 10}`;
    assert.equal(isValidPartitaIva(wrong), false);
    assert.equal(isValidPartitaIva('1234567890'), false);
    assert.equal(isValidPartitaIva('ABCDEFGHIJK'), false);
  });

  it('accepts a published partita IVA', () => {
    // Regione Umbria (comuni-2018 data set, italy_regions.json).
    assert.equal(isValidPartitaIva('01212820540'), true);
  });
});
