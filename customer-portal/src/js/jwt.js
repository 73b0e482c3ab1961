/**
 * Reading the customer's token. The portal never verifies it (the services do); it only
 * reads the payload to learn whose phone this is and when the session ends.
 */

/** The JWT's payload as an object, or null when the token is not a readable JWT. */
export function decodeJwtPayload(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    let b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    b64 += '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in customer from a token: `{phone, expiresAt}` (phone in E.164, expiresAt in
 * seconds since the epoch or null), or null when the token is missing, not a customer's,
 * or already expired.
 */
export function customerFromToken(token, nowSeconds = Date.now() / 1000) {
  const payload = decodeJwtPayload(token);
  if (!payload) return null;
  const phone = payload.phone_number;
  if (typeof phone !== 'string' || !phone) return null;
  if (payload.role !== undefined && payload.role !== 'customer') return null;
  const exp = typeof payload.exp === 'number' ? payload.exp : null;
  if (exp !== null && exp <= nowSeconds) return null;
  return { phone, expiresAt: exp };
}
