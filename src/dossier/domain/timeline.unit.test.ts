import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visibilitiesFor, visibilitiesForWriter } from './notes.ts';
import { sortTimeline, type TimelineEntry, visibleEntries } from './timeline.ts';

const entry = (at: string, kind: string, visibleToApl: boolean): TimelineEntry => ({
  at: new Date(at),
  kind,
  titleKey: `dossier.entry.${kind}`,
  visibleToApl,
});

describe('dossier timeline', () => {
  const all = [
    entry('2026-01-01T10:00:00Z', 'did', true),
    entry('2026-03-01T10:00:00Z', 'conditionality', false),
    entry('2026-02-01T10:00:00Z', 'appointment', true),
  ];

  test('newest first', () => {
    assert.deepEqual(
      sortTimeline(all).map((e) => e.kind),
      ['conditionality', 'appointment', 'did'],
    );
  });

  test('an APL operator sees only the lines marked for agencies', () => {
    assert.deepEqual(
      visibleEntries(all, 'apl').map((e) => e.kind),
      ['appointment', 'did'],
    );
    assert.equal(visibleEntries(all, 'cpi').length, 3);
    assert.equal(visibleEntries(all, 'person').length, 3);
  });

  test('filter by kind', () => {
    assert.deepEqual(
      visibleEntries(all, 'cpi', 'did').map((e) => e.kind),
      ['did'],
    );
    assert.deepEqual(visibleEntries(all, 'apl', 'conditionality'), []);
  });

  test('who sees which notes, who may write which', () => {
    assert.deepEqual(visibilitiesFor('cpi'), ['office', 'apl', 'person']);
    assert.deepEqual(visibilitiesFor('apl'), ['apl', 'person']);
    assert.deepEqual(visibilitiesFor('person'), ['person']);
    assert.deepEqual(visibilitiesForWriter('apl'), ['apl', 'person']);
  });
});
