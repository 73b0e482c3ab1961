/**
 * Chat with the assistant: `POST /chat/messages {message}` → `{reply, tools_used}`.
 *
 * The chatbot may not be deployed yet, so the panel stays hidden until one probe shows the
 * route exists: `GET /chat/messages` answers 405 (wrong method) when the service is there,
 * 404/502 from the gateway when it is not. No message is sent to probe.
 */

import { isAbort, request } from '../api.js';
import { busy, byTestId, h } from '../dom.js';

export const MAX_MESSAGE_LENGTH = 500;

const MISSING_STATUSES = new Set([0, 404, 502, 503, 504]);

/** The panel should show for this probe answer (an ApiError's status, or 200). */
export function chatAvailable(status) {
  return !MISSING_STATUSES.has(status);
}

/** Ask once whether the chat service is there; resolves true or false, never throws. */
export async function probeChat(signal) {
  try {
    // Without the token: the answer only says whether the route exists, and a 401 here
    // must not sign the customer out.
    await request('/chat/messages', { signal, auth: false });
    return true;
  } catch (err) {
    if (isAbort(err)) return false;
    return chatAvailable(err.status ?? 0);
  }
}

/** Send one message; resolves to the reply text. */
export async function sendMessage(message, signal) {
  const data = await request('/chat/messages', {
    method: 'POST',
    body: { message },
    signal,
    messages: { 429: 'You are sending messages quickly. Please wait a moment.' },
  });
  return typeof data?.reply === 'string' && data.reply.trim() ? data.reply : 'Sorry, I have no answer to that.';
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
    text,
  });
}

/** Wire the panel; `start(signal)` probes and shows it, `reset()` hides and empties it. */
export function initChat() {
  const panel = byTestId('chat-panel');
  const form = byTestId('chat-form');
  const input = byTestId('chat-input');
  const send = byTestId('chat-send');
  const log = byTestId('chat-log');
  let signal = null;

  async function ask(message) {
    const text = message.trim().slice(0, MAX_MESSAGE_LENGTH);
    if (!text) return;
    log.appendChild(renderChatMessage('you', text));
    input.value = '';
    const done = busy(send, '…');
    try {
      log.appendChild(renderChatMessage('assistant', await sendMessage(text, signal)));
    } catch (err) {
      if (isAbort(err)) return;
      if (err.notDeployed) {
        panel.hidden = true; // the service went away: hide cleanly
        return;
      }
      log.appendChild(renderChatMessage('error', err.message));
    } finally {
      done();
      log.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ask(input.value);
  });
  for (const chip of panel.querySelectorAll('[data-chat-suggestion]')) {
    chip.addEventListener('click', () => ask(chip.textContent));
  }

  return {
    async start(sessionSignal) {
      signal = sessionSignal;
      const available = await probeChat(sessionSignal);
      if (!sessionSignal?.aborted) panel.hidden = !available;
    },
    reset() {
      panel.hidden = true;
      log.replaceChildren();
      input.value = '';
    },
  };
}
