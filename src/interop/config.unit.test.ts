import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../platform/config.ts';
import { endpointLabel, loadInteropConfig } from './config.ts';

describe('national endpoint configuration', () => {
  it('without a URL nothing is configured, with the documented defaults', () => {
    assert.deepEqual(loadInteropConfig({}), {
      endpointUrl: null,
      token: null,
      timeoutMs: 10_000,
      maxAttempts: 20,
      baseDelayMs: 2000,
      maxDelayMs: 900_000,
    });
    assert.equal(loadInteropConfig({ NATIONAL_ENDPOINT_URL: '  ' }).endpointUrl, null);
  });

  it('reads the URL, the token and the limits', () => {
    const c = loadInteropConfig({
      NATIONAL_ENDPOINT_URL: 'https://siu.example.gov.it/eventi',
      NATIONAL_ENDPOINT_TOKEN: 'abc',
      NATIONAL_ENDPOINT_TIMEOUT_MS: '5000',
      NATIONAL_OUTBOX_MAX_ATTEMPTS: '7',
    });
    assert.equal(c.endpointUrl, 'https://siu.example.gov.it/eventi');
    assert.equal(c.token, 'abc');
    assert.equal(c.timeoutMs, 5000);
    assert.equal(c.maxAttempts, 7);
  });

  it('refuses a bad URL, a bad number, and plain http in production', () => {
    assert.throws(() => loadInteropConfig({ NATIONAL_ENDPOINT_URL: 'not a url' }), ConfigError);
    assert.throws(() => loadInteropConfig({ NATIONAL_ENDPOINT_URL: 'ftp://x.example/' }), ConfigError);
    assert.throws(() => loadInteropConfig({ NATIONAL_ENDPOINT_TIMEOUT_MS: '-1' }), ConfigError);
    assert.throws(
      () => loadInteropConfig({ NATIONAL_ENDPOINT_URL: 'http://siu.example.gov.it/' }, 'production'),
      ConfigError,
    );
    assert.equal(
      loadInteropConfig({ NATIONAL_ENDPOINT_URL: 'http://127.0.0.1:9/' }, 'demo').endpointUrl,
      'http://127.0.0.1:9/',
    );
  });

  it('shows an admin the endpoint without credentials or query', () => {
    assert.equal(
      endpointLabel('https://user:pw@siu.example.gov.it:8443/eventi?key=s'),
      'https://siu.example.gov.it:8443/eventi',
    );
    assert.equal(endpointLabel(null), null);
  });
});
