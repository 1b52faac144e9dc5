import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  birthRange,
  isSafeInternalPath,
  parseCampaignForm,
  segmentOf,
  showCount,
  throttleBudget,
  throttlePlan,
} from './segment.ts';

const PROVINCES = ['PG', 'TR'];
const base = { nome: 'Richiamo', modello: 'book', canale: 'email', collegamento: '/appuntamenti/nuovo' };

describe('campaign segment validation', () => {
  test('a campaign without any criterion is refused with a clear error', () => {
    const r = parseCampaignForm(base, PROVINCES);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.errors.segment === 'campaigns.errors.noSegment');
  });

  test('each criterion alone makes a segment; values are typed', () => {
    const cases: [Record<string, string>, object][] = [
      [{ fascia: '2' }, { tier: 2 }],
      [{ provincia: 'TR' }, { province: 'TR' }],
      [{ eta: '60+' }, { ageBand: '60+' }],
      [{ inattivita: '90' }, { inactiveDays: 90 }],
      [
        { fascia: '3', provincia: 'PG', eta: '18-29', inattivita: ' 30 ' },
        { tier: 3, province: 'PG', ageBand: '18-29', inactiveDays: 30 },
      ],
    ];
    for (const [extra, segment] of cases) {
      const r = parseCampaignForm({ ...base, ...extra }, PROVINCES);
      assert.ok(r.ok, JSON.stringify(extra));
      assert.deepEqual(r.form.segment, segment);
    }
  });

  test('bad values are refused field by field (and an invalid criterion is not "no segment")', () => {
    const r = parseCampaignForm(
      {
        nome: '',
        modello: 'spam',
        canale: 'fax',
        collegamento: 'https://evil.example',
        fascia: '4',
        provincia: 'MI',
        eta: '10-12',
        inattivita: '0',
      },
      PROVINCES,
    );
    assert.ok(!r.ok);
    assert.deepEqual(r.errors, {
      name: 'errors.required',
      template: 'errors.choose',
      channel: 'errors.choose',
      link: 'campaigns.errors.link',
      tier: 'errors.choose',
      province: 'errors.choose',
      ageBand: 'errors.choose',
      inactiveDays: 'campaigns.errors.inactiveDays',
    });
    const long = parseCampaignForm({ ...base, nome: 'x'.repeat(121), inattivita: '99999' }, PROVINCES);
    assert.ok(!long.ok && long.errors.name === 'errors.tooLong' && long.errors.inactiveDays);
    const ctrl = parseCampaignForm({ ...base, nome: 'a\u0007b', fascia: '1' }, PROVINCES);
    assert.ok(!ctrl.ok && ctrl.errors.name === 'errors.invalidCharacters');
  });

  test('only internal paths are links', () => {
    for (const ok of ['/', '/corsi', '/appuntamenti/nuovo', '/offerte'])
      assert.equal(isSafeInternalPath(ok), true, ok);
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/a?b=c',
      '/\\evil',
      'corsi',
      '/a b',
      '',
      '/x'.repeat(101),
    ])
      assert.equal(isSafeInternalPath(bad), false, bad);
  });

  test('a segment read back keeps only known criteria', () => {
    assert.deepEqual(segmentOf({ tier: 2, province: 'PG', bogus: 1 }), { tier: 2, province: 'PG' });
    assert.equal(segmentOf({}), null);
    assert.equal(segmentOf({ tier: 9 }), null);
    assert.equal(segmentOf('x'), null);
  });

  test('age bands as birth dates', () => {
    assert.deepEqual(birthRange('18-29', '2026-11-27'), { bornBy: '2008-11-27', bornAfter: '1996-11-27' });
    assert.deepEqual(birthRange('60+', '2026-11-27'), { bornBy: '1966-11-27', bornAfter: null });
    // 29 February on a year without it.
    assert.equal(birthRange('30-49', '2028-02-29').bornBy, '1998-02-28');
  });
});

describe('throttling plan', () => {
  test('the budget is the rate less what left in the last minute, never negative', () => {
    assert.equal(throttleBudget(100, 0), 100);
    assert.equal(throttleBudget(100, 40), 60);
    assert.equal(throttleBudget(100, 100), 0);
    assert.equal(throttleBudget(100, 250), 0);
    assert.equal(throttleBudget(0, 0), 1, 'at least one a minute');
  });

  test('the plan splits the messages into one batch a minute', () => {
    assert.deepEqual(throttlePlan(250, 100), { minutes: 3, batches: [100, 100, 50] });
    assert.deepEqual(throttlePlan(0, 100), { minutes: 0, batches: [] });
    assert.deepEqual(throttlePlan(3, 5), { minutes: 1, batches: [3] });
  });

  test('counts under 10 are suppressed', () => {
    assert.deepEqual(showCount(0), { suppressed: true });
    assert.deepEqual(showCount(9), { suppressed: true });
    assert.deepEqual(showCount(10), { suppressed: false, value: 10 });
  });
});
