/**
 * Chat with the assistant: `POST /chat/messages {message}` (the customer's token) →
 * `{reply, tools_used}`.
 *
 * The panel is always there once signed in. When the assistant cannot answer — the
 * chatbot down or not deployed (no answer, 404 without a domain error, 502/503/504) — the
 * conversation says so in one friendly line, and the next question simply tries again:
 * a service that is back a minute later is used at once.
 */

import { isAbort, request } from '../api.js';
import { smsNumberText } from '../config.js';
import { busy, byTestId, h } from '../dom.js';

export const MAX_MESSAGE_LENGTH = 500;

/** Said when the chatbot cannot be reached, whatever the reason. */
export function assistantUnavailable() {
  return `The assistant is not available right now. Please try again in a few minutes, or text your question to ${smsNumberText()}.`;
}

export const CHAT_MESSAGES = {
  422: 'The assistant could not read that question. Please write it a little shorter.',
  429: 'You are sending messages quickly. Please wait a moment.',
};

/** Send one message; resolves to the reply text. */
export async function sendMessage(message, signal) {
  const data = await request('/chat/messages', {
    method: 'POST',
    body: { message },
    signal,
    messages: { ...CHAT_MESSAGES, unavailable: assistantUnavailable() },
  });
  return typeof data?.reply === 'string' && data.reply.trim() ? data.reply : 'Sorry, I have no answer to that.';
}

/** The sentence for a failed message: an absent assistant is "unavailable", like a down one. */
export function chatErrorMessage(err) {
  return err?.unavailable || err?.notDeployed || !err?.message ? assistantUnavailable() : err.message;
}

/** One bubble in the conversation: `who` is "you", "assistant" or "error". */
export function renderChatMessage(who, text) {
  const styles = {
    you: 'ml-8 self-end rounded-2xl rounded-br-sm bg-brand-700 px-3 py-2 text-white',
    assistant: 'mr-8 self-start rounded-2xl rounded-bl-sm bg-slate-100 px-3 py-2 text-slate-900',
    error: 'mr-8 self-start rounded-xl bg-red-50 px-3 py-2 text-sm text-red-800',
  };
  return h('p', {
    class: `whitespace-pre-line break-words ${styles[who] ?? styles.assistant}`,
    testid: who === 'assistant' ? 'chat-reply' : who === 'you' ? 'chat-message' : 'chat-error',
    role: who === 'error' ? 'alert' : null,
    text,
  });
}

/** Wire the panel; `start(signal)` ties it to the session, `reset()` empties it. */
export function initChat() {
  const panel = byTestId('chat-panel');
  const form = byTestId('chat-form');
  const input = byTestId('chat-input');
  const send = byTestId('chat-send');
  const log = byTestId('chat-log');
  let signal = null;

  async function ask(message) {
    const text = message.trim().slice(0, MAX_MESSAGE_LENGTH);
    if (!text || send.disabled) return;
    const current = signal;
    log.appendChild(renderChatMessage('you', text));
    input.value = '';
    const done = busy(send, 'Sending…');
    try {
      const reply = await sendMessage(text, current);
      if (current === signal) log.appendChild(renderChatMessage('assistant', reply));
    } catch (err) {
      if (isAbort(err) || current !== signal) return;
      log.appendChild(renderChatMessage('error', chatErrorMessage(err)));
    } finally {
      done();
      log.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    return ask(input.value); // returned for tests; the browser ignores it
  });
  for (const chip of panel.querySelectorAll('[data-chat-suggestion]')) {
    chip.addEventListener('click', () => ask(chip.textContent));
  }

  return {
    start(sessionSignal) {
      signal = sessionSignal;
    },
    reset() {
      signal = null;
      log.replaceChildren();
      input.value = '';
    },
  };
}
