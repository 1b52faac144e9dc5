import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigitOf, validatePartitaIva } from './partita-iva.ts';

test('real VAT numbers are accepted, with spaces or an IT prefix', () => {
  // Published VAT numbers of well-known Italian companies.
  for (const p of ['00159560366', '00743110157', '00488410010'])
    assert.equal(validatePartitaIva(p).ok, true, p);
  assert.deepEqual(validatePartitaIva('IT 00159560366'), { ok: true, value: '00159560366', office: '036' });
});

test('a wrong check digit, a bad office code or a wrong shape are refused with the reason', () => {
  assert.deepEqual(validatePartitaIva('00159560367'), { ok: false, reason: 'checkDigit' });
  assert.deepEqual(validatePartitaIva('01234560545'), { ok: false, reason: 'checkDigit' });
  // Office 456 does not exist (only 001–100, 120, 121, 888, 999).
  const bad = `0123456456`;
  assert.deepEqual(validatePartitaIva(`${bad}${checkDigitOf(bad)}`), { ok: false, reason: 'office' });
  for (const p of ['', '1234567890', '123456789012', '0015956036A', '00000000000'])
    assert.deepEqual(validatePartitaIva(p), { ok: false, reason: 'format' }, p);
});

test('every single-digit change of a valid number is detected', () => {
  const valid = '00159560366';
  for (let i = 0; i < 11; i++)
    for (let d = 0; d <= 9; d++) {
      if (String(d) === valid[i]) continue;
      const changed = `${valid.slice(0, i)}${d}${valid.slice(i + 1)}`;
      assert.equal(validatePartitaIva(changed).ok, false, changed);
    }
});
