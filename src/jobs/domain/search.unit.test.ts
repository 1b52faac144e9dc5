import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distanceKm } from '../../matching/domain/score.ts';
import {
  boundingBox,
  byDistanceThenNewest,
  byScore,
  type Candidate,
  kmBetween,
  mergeRanked,
  narrowsResults,
  PAGE_SIZE,
  type Placed,
  pageOf,
  parseSearch,
  placeAndFilter,
  placedKm,
  typedValues,
  widerRadius,
} from './search.ts';

const PERUGIA = { lat: 43.10676, lon: 12.38825 };
const TERNI = { lat: 42.56071, lon: 12.64669 };
const ASSISI = { lat: 43.07083, lon: 12.6154 };

test('parseSearch reads every filter and keeps good values', () => {
  const { input, errors } = parseSearch({
    q: ' magazziniere ',
    contratto: 'determinato',
    orario: 'part_time',
    remoto: 'solo',
    giorni: '7',
    luogo: 'Perugia',
    comune: '054039',
    raggio: '25',
    l68: 'si',
    stagionale: 'si',
    pagina: '2',
  });
  assert.deepEqual(errors, {});
  assert.deepEqual(input, {
    q: 'magazziniere',
    contract: 'determinato',
    hours: 'part_time',
    remote: 'solo',
    l68: true,
    seasonal: true,
    days: 7,
    place: 'Perugia',
    placeCode: '054039',
    radius: 25,
    page: 2,
  });
});

test('parseSearch: a radius outside 1–200 km or not a whole number is refused with its own message', () => {
  for (const raggio of ['10000', '0', '201', '-5', '12.5', 'dieci', '1e3']) {
    const { input, errors } = parseSearch({ raggio });
    assert.equal(errors.raggio, 'jobs.search.errors.radius', raggio);
    assert.equal(input.radius, null);
  }
  assert.equal(parseSearch({ raggio: '1' }).input.radius, 1);
  assert.equal(parseSearch({ raggio: '200' }).input.radius, 200);
  assert.equal(parseSearch({ raggio: '' }).input.radius, null);
});

test('parseSearch: unknown choices, over-long text and control characters are refused, never thrown', () => {
  const { input, errors } = parseSearch({
    contratto: 'schiavitù',
    orario: 'sempre',
    remoto: 'forse',
    giorni: '9',
    q: 'x'.repeat(201),
    luogo: 'Peru\u0000gia',
  });
  assert.equal(errors.contratto, 'errors.choose');
  assert.equal(errors.orario, 'errors.choose');
  assert.equal(errors.remoto, 'errors.choose');
  assert.equal(errors.giorni, 'errors.choose');
  assert.equal(errors.q, 'errors.tooLong');
  assert.equal(errors.luogo, 'errors.invalidCharacters');
  assert.equal(input.contract, null);
  assert.equal(input.q, '');
  // Arrays (repeated parameters) and odd types do not crash.
  assert.deepEqual(parseSearch({ q: ['a', 'b'], raggio: ['30'] }).input.radius, 30);
  assert.equal(parseSearch(undefined).input.q, '');
  assert.equal(parseSearch({ comune: '12' }).input.placeCode, '');
});

test('typedValues keeps what was typed (for the form), without control characters', () => {
  const v = typedValues({ raggio: '10000', luogo: 'Ter\u0007ni' });
  assert.equal(v.raggio, '10000');
  assert.equal(v.luogo, 'Ter ni');
});

test("kmBetween is the matcher's distance on micro-degrees", () => {
  const km = kmBetween(PERUGIA.lat, PERUGIA.lon, TERNI.lat, TERNI.lon);
  const exact = distanceKm(43106760, 12388250, 42560710, 12646690);
  assert.equal(km, Math.round(exact * 10) / 10);
  assert.ok(km > 60 && km < 70, String(km));
  assert.equal(kmBetween(PERUGIA.lat, PERUGIA.lon, PERUGIA.lat, PERUGIA.lon), 0);
});

test('boundingBox holds every point within the radius', () => {
  for (const km of [1, 10, 30, 100, 200]) {
    const b = boundingBox(PERUGIA.lat, PERUGIA.lon, km);
    for (let a = 0; a < 360; a += 15) {
      // A point just inside the radius in direction a.
      const r = km * 0.999;
      const dLat = (r * Math.cos((a * Math.PI) / 180)) / 111.19;
      const dLon = (r * Math.sin((a * Math.PI) / 180)) / (111.19 * Math.cos((PERUGIA.lat * Math.PI) / 180));
      const lat = PERUGIA.lat + dLat;
      const lon = PERUGIA.lon + dLon;
      if (kmBetween(PERUGIA.lat, PERUGIA.lon, lat, lon) > km) continue;
      assert.ok(
        lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon,
        `${km} km at ${a}°`,
      );
    }
  }
});

const cand = (
  id: string,
  where: { lat: number; lon: number } | null,
  day: number,
  remote: Candidate['remote'] = 'no',
) => ({
  id,
  remote,
  latitude: where?.lat ?? null,
  longitude: where?.lon ?? null,
  publishedAt: new Date(Date.UTC(2026, 10, day)),
});

test('placeAndFilter: km from the place, radius applied, fully remote always in, no coordinates out', () => {
  const list = [
    cand('a', PERUGIA, 1),
    cand('b', TERNI, 2),
    cand('c', null, 3, 'full'),
    cand('d', null, 4),
    cand('e', ASSISI, 5, 'hybrid'),
  ];
  const placed = placeAndFilter(list, PERUGIA, 30);
  assert.deepEqual(
    placed.map((p) => [p.id, p.km]),
    [
      ['a', 0],
      ['c', null],
      ['e', kmBetween(PERUGIA.lat, PERUGIA.lon, ASSISI.lat, ASSISI.lon)],
    ],
  );
  // No place: everything, no km, and the order is by date only.
  const anywhere = placeAndFilter(list, null, null);
  assert.equal(anywhere.length, 5);
  assert.ok(anywhere.every((p) => p.km === null));
  assert.deepEqual(
    anywhere.sort(byDistanceThenNewest).map((p) => p.id),
    ['e', 'd', 'c', 'b', 'a'],
  );
});

test('orders: nearest then newest then id; by score with ties by distance; the matcher first then the rest', () => {
  const placed = placeAndFilter(
    [
      cand('far', TERNI, 9),
      cand('near-old', PERUGIA, 1),
      cand('near-new', PERUGIA, 5),
      cand('remote', null, 2, 'full'),
    ],
    PERUGIA,
    200,
  );
  assert.deepEqual(
    [...placed].sort(byDistanceThenNewest).map((p) => p.id),
    ['near-new', 'remote', 'near-old', 'far'],
  );
  const scores = new Map([
    ['far', 900],
    ['near-old', 500],
    ['near-new', 500],
    ['remote', 100],
  ]);
  assert.deepEqual(
    [...placed].sort(byScore(scores)).map((p) => p.id),
    ['far', 'near-new', 'near-old', 'remote'],
  );
  assert.deepEqual(
    mergeRanked(['far', 'gone', 'near-old', 'far'], placed).map((p) => p.id),
    ['far', 'near-old', 'near-new', 'remote'],
  );
});

test('pageOf: 20 a page, a page past the end shows the last one', () => {
  const list: Placed[] = Array.from({ length: 45 }, (_, i) => ({
    ...cand(`v${i}`, PERUGIA, 1),
    km: 0,
    sortKm: 0,
  }));
  const first = pageOf(list, 0);
  assert.equal(first.items.length, PAGE_SIZE);
  assert.equal(first.hasNext, true);
  const last = pageOf(list, 2);
  assert.equal(last.items.length, 5);
  assert.equal(last.hasNext, false);
  assert.equal(pageOf(list, 99).page, 2);
  assert.deepEqual(pageOf([], 3), { items: [], hasNext: false, page: 0 });
});

test('widerRadius suggests the next step up, none at 200 km', () => {
  assert.equal(widerRadius(10), 20);
  assert.equal(widerRadius(30), 50);
  assert.equal(widerRadius(170), 200);
  assert.equal(widerRadius(200), null);
});

test('narrowsResults: only a filter that can leave out a ranked vacancy counts, not text, place or page', () => {
  assert.equal(narrowsResults(parseSearch({ luogo: 'Perugia', raggio: '25', pagina: '3' }).input), false);
  for (const extra of [
    { contratto: 'determinato' },
    { orario: 'part_time' },
    { remoto: 'si' },
    { giorni: '7' },
    { l68: 'si' },
    { stagionale: 'si' },
  ]) {
    assert.equal(narrowsResults(parseSearch(extra).input), true, JSON.stringify(extra));
  }
});

test('placedKm gives the km placeAndFilter gives, and null when remote, placeless or without coordinates', () => {
  const terni = { remote: 'no' as const, latitude: TERNI.lat, longitude: TERNI.lon };
  const [placed] = placeAndFilter([{ id: 'a', publishedAt: new Date(0), ...terni }], PERUGIA, null);
  assert.equal(placedKm(terni, PERUGIA), placed?.km);
  assert.equal(placedKm({ ...terni, remote: 'full' }, PERUGIA), null);
  assert.equal(placedKm(terni, null), null);
  assert.equal(placedKm({ remote: 'hybrid', latitude: null, longitude: null }, PERUGIA), null);
});
