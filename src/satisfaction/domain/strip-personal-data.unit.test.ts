import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PLACEHOLDERS, stripPersonalData } from './strip-personal-data.ts';

const strip = (text: string, names: string[] = []) => stripPersonalData(text, names);

test('e-mail addresses are removed', () => {
  assert.equal(strip('scrivetemi a giulia.conti+cpi@example.it grazie'), 'scrivetemi a [e-mail] grazie');
  assert.equal(strip('mail: Mario_Rossi@posta.example.co.uk.'), 'mail: [e-mail].');
});

test('telephone numbers are removed, in the usual Italian shapes', () => {
  assert.equal(strip('chiamatemi al 333 1234567 domani'), 'chiamatemi al [telefono] domani');
  assert.equal(strip('tel. +39 075 123 4567'), 'tel. [telefono]');
  assert.equal(strip('0039-333-1234567'), '[telefono]');
  assert.equal(strip('(075) 5551234'), '[telefono]');
  assert.equal(strip('3331234567'), '[telefono]');
});

test('short numbers, dates and amounts stay', () => {
  const text = "Ho aspettato 45 minuti il 12/03/2026 alle 9.30, per 1.200 euro e 3 volte l'anno 2025.";
  assert.equal(strip(text), text);
});

test('fiscal codes are removed, also with omocodia and in lower case', () => {
  assert.equal(strip('il mio CF è CNTGLI85M41G478Z.'), 'il mio CF è [codice fiscale].');
  assert.equal(strip('cf cntgli85m41g478z ok'), 'cf [codice fiscale] ok');
  assert.equal(strip('RSSMRALPMVNHL78T'), '[codice fiscale]');
});

test('IBANs are removed, with or without spaces', () => {
  assert.equal(strip('IBAN IT60X0542811101000000123456 per il rimborso'), 'IBAN [IBAN] per il rimborso');
  assert.equal(strip('it60 x054 2811 1010 0000 0123 456'), '[IBAN]');
  assert.equal(strip('DE89370400440532013000'), '[IBAN]');
});

test("the respondent's names are removed, whole words only, any case, with accents", () => {
  assert.equal(
    strip('Sono Giulia Conti, GIULIA per gli amici; i contiamo sui conti.', ['Giulia', 'Conti']),
    'Sono [nome] [nome], [nome] per gli amici; i contiamo sui [nome].',
  );
  assert.equal(strip('Nicolò De Luca ringrazia', ['Nicolò', 'De Luca']), '[nome] [nome] ringrazia');
  assert.equal(strip("D'Angelo è soddisfatto", ["D'Angelo"]), '[nome] è soddisfatto');
  // Special characters in a name do not break the pattern; a one-letter name is left alone.
  assert.equal(strip('A (test) x', ['(test)', 'A']), 'A [nome] x');
});

test('a comment with everything at once, and the placeholders can be translated', () => {
  const text =
    'Giulia Conti, giulia@example.it, +39 333 0000001, CNTGLI85M41G478Z, IT60X0542811101000000123456';
  assert.equal(
    stripPersonalData(text, ['Giulia', 'Conti'], { ...DEFAULT_PLACEHOLDERS, name: '[name]' }),
    '[name] [name], [e-mail], [telefono], [codice fiscale], [IBAN]',
  );
});

test('text without personal data is unchanged, also in Arabic', () => {
  const text = 'الخدمة كانت ممتازة، شكراً جزيلاً';
  assert.equal(strip(text, ['Ahmed']), text);
  assert.equal(strip(''), '');
});
