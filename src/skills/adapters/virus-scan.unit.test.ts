import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandScanner, scanFile } from './virus-scan.ts';

const data = Buffer.from('%PDF-1.4\n%%EOF\n');

test('without a command nothing is scanned', async () => {
  assert.equal(await commandScanner(undefined)(data), 'not_scanned');
  assert.equal(await commandScanner('   ')(data), 'not_scanned');
  const before = process.env.VIRUS_SCAN_COMMAND;
  delete process.env.VIRUS_SCAN_COMMAND;
  try {
    assert.equal(await scanFile(data), 'not_scanned');
  } finally {
    if (before !== undefined) process.env.VIRUS_SCAN_COMMAND = before;
  }
});

test('exit code 0 is clean, 1 is infected, anything else or a missing scanner is not scanned', async () => {
  // The file arrives on stdin: `grep -q` exits 0 when it finds the pattern, 1 when it does not.
  assert.equal(await commandScanner('grep -q PDF')(data), 'clean');
  assert.equal(await commandScanner('grep -q EICAR')(data), 'infected');
  assert.equal(await commandScanner('sh -c "exit 2"')(data), 'not_scanned');
  assert.equal(await commandScanner('/nonexistent/scanner --flag')(data), 'not_scanned');
});

test('a scanner that hangs is cut by the timeout', async () => {
  assert.equal(await commandScanner('sleep 5', 200)(data), 'not_scanned');
});
