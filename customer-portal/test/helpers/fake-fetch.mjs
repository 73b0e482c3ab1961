/** A scripted `fetch`: routes map "METHOD /path" to a response spec; calls are recorded. */

export function jsonResponse(status, body, headers = {}) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text || null, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/**
 * Install a fake fetch. `routes` values: `[status, body, headers?]`, a function
 * `(call) => Response`, or an Error to throw (a network failure). Unknown routes → 404.
 */
export function installFakeFetch(routes) {
  const calls = [];
  globalThis.fetch = async (url, init = {}) => {
    const call = { url, method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body ? JSON.parse(init.body) : undefined, init };
    calls.push(call);
    const spec = routes[`${call.method} ${url}`];
    if (spec === undefined) return jsonResponse(404, { detail: 'Not Found', error: 'NotFound' });
    if (spec instanceof Error) throw spec;
    if (typeof spec === 'function') return spec(call);
    const [status, body, headers] = spec;
    return jsonResponse(status, body, headers);
  };
  return calls;
}

/** A JWT-looking token with this payload (unsigned: the portal never verifies). */
export function makeToken(payload) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(payload)}.c2lnbmF0dXJl`;
}
