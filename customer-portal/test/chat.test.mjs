/** The chat panel: real answers shown, an absent or down assistant said in one friendly line. */
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { clearToken, setToken } from '../src/js/api.js';
import { assistantUnavailable, chatErrorMessage, initChat, sendMessage } from '../src/js/sections/chat.js';
import { fakeDocument, FakeElement, installFakeStorage } from './helpers/fake-dom.mjs';
import { installFakeFetch, jsonResponse } from './helpers/fake-fetch.mjs';

beforeEach(() => {
  installFakeStorage();
  clearToken();
  setToken('tok');
});

function mountPanel() {
  const els = Object.fromEntries(['chat-panel', 'chat-form', 'chat-input', 'chat-send', 'chat-log'].map((id) => [id, new FakeElement('div')]));
  els['chat-panel'].querySelectorAll = () => [];
  globalThis.document = { ...fakeDocument, querySelector: (sel) => els[/data-testid="([^"]+)"/.exec(sel)[1]] ?? null };
  const chat = initChat();
  const ask = async (text) => {
    els['chat-input'].value = text;
    await Promise.all(els['chat-form'].listeners.submit.map((fn) => fn({ preventDefault() {} })));
  };
  const bubbles = () => els['chat-log'].children.map((c) => [c.getAttribute('data-testid'), c.textContent]);
  return { els, chat, ask, bubbles };
}

test('a message goes out with the token and the reply comes back as text', async () => {
  const calls = installFakeFetch({ 'POST /chat/messages': [200, { reply: 'You have 42 points.', tools_used: ['get_customer_points'] }] });
  assert.equal(await sendMessage('How many points do I have?'), 'You have 42 points.');
  assert.deepEqual(calls[0].body, { message: 'How many points do I have?' });
  assert.equal(calls[0].headers.Authorization, 'Bearer tok');
});

test('503, 502, 504, no answer or a missing route: "the assistant is unavailable", the panel stays', async () => {
  const { els, chat, ask, bubbles } = mountPanel();
  chat.start(new AbortController().signal);
  for (const answer of [[503, { detail: 'down', error: 'ServiceUnavailable' }], [502, null], [504, null], [404, { detail: 'Not Found', error: 'NotFound' }], new TypeError('offline')]) {
    installFakeFetch({ 'POST /chat/messages': answer });
    await ask('How many points do I have?');
    const [who, text] = bubbles().at(-1);
    assert.equal(who, 'chat-error');
    assert.equal(text, assistantUnavailable());
    assert.equal(els['chat-log'].children.at(-1).getAttribute('role'), 'alert');
    assert.equal(els['chat-panel'].hidden, false);
    assert.equal(els['chat-send'].disabled, false);
  }
  assert.match(assistantUnavailable(), /not available right now.*try again/);

  // Back a minute later: the next question is answered.
  installFakeFetch({ 'POST /chat/messages': [200, { reply: 'You have 42 points.', tools_used: [] }] });
  await ask('How many points do I have?');
  assert.deepEqual(bubbles().slice(-2), [['chat-message', 'How many points do I have?'], ['chat-reply', 'You have 42 points.']]);

  chat.reset();
  assert.equal(els['chat-log'].children.length, 0);
});

test('other refusals keep their own words', () => {
  assert.match(chatErrorMessage({ status: 429, message: 'You are sending messages quickly. Please wait a moment.' }), /quickly/);
  assert.equal(chatErrorMessage({ status: 503, unavailable: true, message: 'x' }), assistantUnavailable());
  assert.equal(chatErrorMessage(null), assistantUnavailable());
});
