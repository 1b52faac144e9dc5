import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { ForecastChart, niceStep } from './chart.tsx';

const text = {
  title: 'Demand <per> week',
  desc: 'Same figures in the table',
  history: 'Recorded',
  backtest: 'Backtest',
  forecast: 'Forecast',
  capacity: 'Free seats',
};

describe('forecast chart (server-drawn SVG)', () => {
  test('an accessible image: role, title and description, escaped text', () => {
    const html = render(
      h(ForecastChart, {
        id: 'c',
        text,
        data: {
          labels: ['a', 'b', 'c', 'd'],
          history: [3, 4, null, null],
          backtest: [null, 4, null, null],
          forecast: [null, null, 5, 6],
          capacity: [null, null, 2, 0],
        },
      }),
    );
    assert.match(html, /^<svg role="img" aria-labelledby="c-title c-desc"/);
    assert.match(html, /<title id="c-title">Demand &lt;per> week<\/title>/);
    assert.match(html, /<desc id="c-desc">Same figures in the table<\/desc>/);
    // History, backtest and forecast lines; a bar per forecast week plus the legend's swatch.
    assert.match(html, /<path d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+" fill="none" stroke="#0066cc"/);
    assert.match(html, /stroke-dasharray="7 4"/);
    assert.equal((html.match(/<rect /g) ?? []).length, 3);
    assert.doesNotMatch(html, /NaN/);
  });

  test('an empty or all-zero chart still draws without NaN', () => {
    const html = render(
      h(ForecastChart, {
        id: 'z',
        text,
        data: { labels: ['a'], history: [0], backtest: [null], forecast: [null], capacity: [null] },
      }),
    );
    assert.doesNotMatch(html, /NaN|Infinity/);
  });

  test('grid steps are round numbers', () => {
    assert.equal(niceStep(0), 1);
    assert.equal(niceStep(3), 1);
    assert.equal(niceStep(30), 10);
    assert.equal(niceStep(41), 20);
    assert.equal(niceStep(180), 50);
    assert.equal(niceStep(1000), 500);
  });
});
