import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_FILTERS, PAGE_SIZE, pageCount, parseFilters, toQuery } from './filters.ts';

describe('caseload filters', () => {
  test('an empty query string is the default list', () => {
    const { filters, invalid } = parseFilters({});
    assert.deepEqual(filters, DEFAULT_FILTERS);
    assert.deepEqual(invalid, {});
    assert.equal(toQuery(filters), '');
  });

  test('every filter survives a round trip through the query string', () => {
    const query = {
      q: 'Rossi',
      tier: '3',
      alerts: '1',
      appointment: 'none',
      contact: '90',
      conditionality: '1',
      benefit: 'naspi',
      operator: 'me',
      sort: 'contact',
      dir: 'desc',
      page: '2',
    };
    const { filters, invalid } = parseFilters(query);
    assert.deepEqual(invalid, {});
    const again = parseFilters(Object.fromEntries(new URLSearchParams(toQuery(filters).slice(1))));
    assert.deepEqual(again.filters, filters);
    assert.equal(filters.page, 2);
    assert.equal(toQuery(filters, { page: 1 }).includes('page='), false);
  });

  test('values outside the choices are dropped and reported, the rest kept', () => {
    const { filters, invalid } = parseFilters({
      tier: '7',
      benefit: 'lottery',
      operator: "1' or 1=1",
      sort: 'password',
      page: '-1',
      alerts: 'yes',
      q: 'Conti',
    });
    assert.equal(filters.tier, '');
    assert.equal(filters.benefit, '');
    assert.equal(filters.operator, '');
    assert.equal(filters.sort, 'name');
    assert.equal(filters.page, 1);
    assert.equal(filters.alerts, false);
    assert.equal(filters.q, 'Conti');
    assert.deepEqual(Object.keys(invalid).sort(), ['alerts', 'benefit', 'operator', 'page', 'sort', 'tier']);
  });

  test('a search with symbols or too long is refused', () => {
    assert.equal(parseFilters({ q: 'a%b' }).invalid.q, 'errors.invalidCharacters');
    assert.equal(parseFilters({ q: 'x'.repeat(61) }).invalid.q, 'errors.tooLong');
    assert.equal(parseFilters({ q: "D'Angelo" }).filters.q, "D'Angelo");
  });

  test('repeated parameters take the first value', () => {
    assert.equal(parseFilters({ tier: ['2', '3'] }).filters.tier, '2');
  });

  test('pages', () => {
    assert.equal(pageCount(0), 1);
    assert.equal(pageCount(PAGE_SIZE), 1);
    assert.equal(pageCount(PAGE_SIZE + 1), 2);
  });
});
