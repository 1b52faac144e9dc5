import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, loadRetentionConfig, RETENTION_CATEGORIES, RETENTION_DEFAULTS } from './config.ts';

test('defaults apply without environment, each with its legal basis and bounds that contain it', () => {
  const config = loadRetentionConfig({});
  for (const c of RETENTION_CATEGORIES) {
    assert.equal(config[c].days, RETENTION_DEFAULTS[c].days, c);
    assert.ok(config[c].basis.length > 10, c);
    assert.ok(config[c].min <= config[c].days && config[c].days <= config[c].max, c);
  }
  assert.equal(config.audit_log.action, 'keep');
});

test('an environment variable overrides its category within bounds', () => {
  const config = loadRetentionConfig({
    RETENTION_SESSIONS_DAYS: '3',
    RETENTION_MESSAGE_ATTACHMENTS_DAYS: ' 365 ',
  });
  assert.equal(config.sessions.days, 3);
  assert.equal(config.message_attachments.days, 365);
  assert.equal(config.one_time_tokens.days, RETENTION_DEFAULTS.one_time_tokens.days);
  assert.equal(envName('audit_log'), 'RETENTION_AUDIT_LOG_DAYS');
});

test('the audit log can never be set below 24 months; bad values stop the start-up with the variable named', () => {
  assert.throws(
    () => loadRetentionConfig({ RETENTION_AUDIT_LOG_DAYS: '729' }),
    /RETENTION_AUDIT_LOG_DAYS.*730/,
  );
  assert.equal(loadRetentionConfig({ RETENTION_AUDIT_LOG_DAYS: '730' }).audit_log.days, 730);
  assert.throws(() => loadRetentionConfig({ RETENTION_SESSIONS_DAYS: 'abc' }), /RETENTION_SESSIONS_DAYS/);
  assert.throws(() => loadRetentionConfig({ RETENTION_SESSIONS_DAYS: '-1' }), /RETENTION_SESSIONS_DAYS/);
  assert.throws(() => loadRetentionConfig({ RETENTION_SESSIONS_DAYS: '1.5' }), /RETENTION_SESSIONS_DAYS/);
  assert.throws(() => loadRetentionConfig({ RETENTION_EMPLOYMENT_OUTCOMES_DAYS: '99999' }), /between/);
});
