import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestedChannel } from './channel-suggestion.ts';

test('a remote plan suggests video, or phone where video is not offered', () => {
  assert.equal(suggestedChannel('remote', ['in_person', 'phone', 'video']), 'video');
  assert.equal(suggestedChannel('remote', ['in_person', 'phone']), 'phone');
});

test('an in-person plan suggests the desk, if the service is given there', () => {
  assert.equal(suggestedChannel('in_person', ['in_person', 'video']), 'in_person');
  assert.equal(suggestedChannel('in_person', ['video']), null);
});

test('a blended plan, or no plan, suggests nothing', () => {
  assert.equal(suggestedChannel('blended', ['in_person', 'video']), null);
  assert.equal(suggestedChannel(undefined, ['in_person', 'video']), null);
});
