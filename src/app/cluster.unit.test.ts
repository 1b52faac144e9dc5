import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WEB_SEMI_SPACE_MB, webExecArgv } from './cluster.ts';

test('a web process gets the larger young generation after the primary’s own options', () => {
  assert.deepEqual(webExecArgv(['--enable-source-maps']), [
    '--enable-source-maps',
    `--max-semi-space-size=${WEB_SEMI_SPACE_MB}`,
  ]);
  assert.deepEqual(webExecArgv([], ''), [`--max-semi-space-size=${WEB_SEMI_SPACE_MB}`]);
});

test('the operator’s own young generation wins, however it is written and wherever it is given', () => {
  assert.deepEqual(webExecArgv(['--max-semi-space-size=16']), ['--max-semi-space-size=16']);
  assert.deepEqual(webExecArgv(['--max_semi_space_size=32']), ['--max_semi_space_size=32']);
  assert.deepEqual(webExecArgv(['--cpu-prof'], '--max-old-space-size=4096 --max-semi-space-size=8'), [
    '--cpu-prof',
  ]);
  // A similar but different option does not count as one.
  assert.deepEqual(webExecArgv(['--max-old-space-size=4096']), [
    '--max-old-space-size=4096',
    `--max-semi-space-size=${WEB_SEMI_SPACE_MB}`,
  ]);
});
