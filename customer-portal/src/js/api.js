/**
 * The portal's one door to the platform: a small fetch wrapper.
 *
 * - Same-origin relative URLs only ("/customers/..."): the gateway serves the portal and
 *   every API, so the browser never talks to another host.
 * - The customer's token lives in sessionStorage (gone when the tab closes) and is sent
 *   as a bearer token.
 * - The platform's error shape `{"detail", "error"}` (422 adds `errors: [{field, message,
 *   type}]`) is turned into a sentence a customer can read; callers may override the
 *   sentence per status. Raw JSON never reaches the screen.
 * - No answer, or 502/503/504 from the gateway, becomes one "service unavailable" message.
 * - A 401 on an authenticated call means the token is no longer good: it is dropped and the
 *   sign-out handler runs.
 */

export const TOKEN_KEY = 'mubayiro.customer.token';

/** Shown whenever the platform cannot be reached or a service behind the gateway is down. */
export const UNAVAILABLE_MESSAGE =
  'This service is not available right now. Please try again in a few minutes.';

/** How long to wait for an answer before calling the service unavailable (slow networks). */
export const TIMEOUT_MS = 30000;

const UNAVAILABLE_STATUSES = new Set([0, 502, 503, 504]);

const GENERIC_MESSAGES = {
  400: 'That request was not accepted. Please check and try again.',
  401: 'Please sign in again.',
  403: 'You are not allowed to see this.',
  404: 'This is not available.',
  409: 'That could not be done right now.',
  422: 'Please check what you entered.',
  429: 'Too many tries. Please wait a little and try again.',
};

/** Readable names for the request fields a customer can get wrong. */
const FIELD_LABELS = {
  phone_number: 'Phone number',
  friend_phone_number: "Your friend's phone number",
  code: 'Code',
  message: 'Message',
};

const MAX_DETAIL_LENGTH = 300;

/** A failed call: `status` is 0 when no answer came at all. `message` is for people. */
export class ApiError extends Error {
  constructor(status, message, { error = null, fields = [], retryAfter = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  /** The platform could not be reached, or a service behind the gateway is down. */
  get unavailable() {
    return UNAVAILABLE_STATUSES.has(this.status);
  }

  /**
   * The route's service is not deployed yet: the gateway (or a service that lacks the
   * route) answers a plain 404 `NotFound`, or 502 when nothing listens behind it. A 404
   * with a domain error name (e.g. `CustomerNotFound`) is a real answer, not this.
   */
  get notDeployed() {
    return this.status === 502 || (this.status === 404 && (!this.error || this.error === 'NotFound'));
  }
}

function fieldLabel(field) {
  const name = String(field ?? '').split('.').pop();
  if (FIELD_LABELS[name]) return FIELD_LABELS[name];
  const words = name.replace(/_/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

function sentence(text) {
  const t = String(text).trim().slice(0, MAX_DETAIL_LENGTH);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function fieldErrors(body) {
  const list = Array.isArray(body?.errors) ? body.errors : Array.isArray(body?.detail) ? body.detail : [];
  return list
    .filter((e) => e && typeof e === 'object')
    .map((e) => {
      const field = typeof e.field === 'string' ? e.field : Array.isArray(e.loc) ? e.loc.filter((p) => p !== 'body').join('.') : '';
      const message = typeof e.message === 'string' ? e.message : typeof e.msg === 'string' ? e.msg : '';
      return { field, message: message.replace(/^Value error, /, '') };
    })
    .filter((e) => e.message);
}

/**
 * The sentence to show for a failed call.
 *
 * `overrides` maps a status (or `unavailable`) to the caller's own wording, used before
 * anything the server said; otherwise a 422 lists its fields, then a string `detail`,
 * then a generic sentence for the status.
 */
export function describeError(status, body, overrides = {}) {
  if (UNAVAILABLE_STATUSES.has(status)) return overrides.unavailable ?? UNAVAILABLE_MESSAGE;
  if (overrides[status]) return overrides[status];
  if (body && typeof body === 'object') {
    const fields = fieldErrors(body);
    if (status === 422 && fields.length) {
      return fields
        .map((e) => {
          const label = fieldLabel(e.field);
          return sentence(label ? `${label}: ${e.message}` : e.message);
        })
        .join(' ');
    }
    if (typeof body.detail === 'string' && body.detail.trim()) return sentence(body.detail);
  }
  return GENERIC_MESSAGES[status] ?? `Something went wrong (error ${status}). Please try again.`;
}

let memoryToken = null;

function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage can be blocked by the browser's privacy settings
  }
}

/** The customer's token, or null. */
export function getToken() {
  const s = storage();
  try {
    return s ? s.getItem(TOKEN_KEY) : memoryToken;
  } catch {
    return memoryToken;
  }
}

export function setToken(token) {
  memoryToken = token;
  try {
    storage()?.setItem(TOKEN_KEY, token);
  } catch {
    /* memoryToken keeps this tab signed in */
  }
}

export function clearToken() {
  memoryToken = null;
  try {
    storage()?.removeItem(TOKEN_KEY);
  } catch {
    /* nothing stored */
  }
}

let unauthorizedHandler = null;

/** Register what to do when the platform says the token is no longer good (401). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

async function readBody(response) {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // an HTML error page from a proxy: never shown
  }
}

function retryAfterSeconds(response) {
  const value = response.headers?.get?.('Retry-After');
  const seconds = Number.parseInt(value ?? '', 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/**
 * Call the platform and return the decoded JSON body (null when empty).
 *
 * Options: `method`, `body` (sent as JSON), `auth` (send the token and sign out on 401;
 * default true), `messages` (status → sentence overrides), `signal` (to cancel).
 * Throws ApiError for any failure; an AbortError passes through when `signal` aborts.
 */
export async function request(path, { method = 'GET', body, auth = true, messages = {}, signal } = {}) {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`request() takes a same-origin path starting with "/", got ${path}`);
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = auth ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
  const onAbort = () => timeout.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  let response;
  let data;
  try {
    response = await globalThis.fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: timeout.signal,
    });
    data = await readBody(response);
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err;
    throw new ApiError(0, describeError(0, null, messages));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }

  if (response.ok) return data;

  const error = new ApiError(response.status, describeError(response.status, data, messages), {
    error: data && typeof data.error === 'string' ? data.error : null,
    fields: fieldErrors(data),
    retryAfter: retryAfterSeconds(response),
  });
  if (response.status === 401 && auth) {
    clearToken();
    unauthorizedHandler?.(error);
  }
  throw error;
}

/** True for the cancellation of a request made with an aborted signal. */
export function isAbort(err) {
  return err?.name === 'AbortError';
}
