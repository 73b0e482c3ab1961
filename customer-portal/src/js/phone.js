/**
 * Phone numbers on the client: a light check before sending (the server parses and
 * normalises with `phonenumbers`, default region ZW) and a readable display form.
 */

const ZW_CODE = '263';

/** The number without spaces, dashes, dots or brackets (a leading "+" kept). */
export function cleanPhone(raw) {
  return String(raw ?? '').trim().replace(/[\s().\-\u00a0]/g, '');
}

/**
 * Check what the customer typed: `{ok: true, value}` with the cleaned number to send, or
 * `{ok: false, message}`. Accepts 0771234567, 771234567, +263771234567, 00263…, with spaces.
 */
export function checkPhone(raw) {
  const value = cleanPhone(raw);
  if (!value) return { ok: false, message: 'Enter your phone number.' };
  if (/^(\+|00)?\d{9,15}$/.test(value)) return { ok: true, value };
  return { ok: false, message: 'Enter a phone number like 077 123 4567 or +263 77 123 4567.' };
}

/**
 * Best guess at E.164 for a number as typed (for display and comparison only; the
 * server's answer is authoritative). Local forms are taken as Zimbabwean.
 */
export function toE164Guess(raw) {
  const value = cleanPhone(raw);
  if (/^\+\d+$/.test(value)) return value;
  if (/^00\d+$/.test(value)) return `+${value.slice(2)}`;
  if (/^0\d{9}$/.test(value)) return `+${ZW_CODE}${value.slice(1)}`;
  if (/^\d{9}$/.test(value)) return `+${ZW_CODE}${value}`;
  if (value.startsWith(ZW_CODE) && value.length === 12) return `+${value}`;
  return value;
}

/** Two numbers as typed are the same phone. */
export function samePhone(a, b) {
  const x = toE164Guess(a);
  return x !== '' && x === toE164Guess(b);
}

/** "+263771234567" → "+263 77 123 4567"; other numbers are shown as they are. */
export function formatPhone(e164) {
  if (typeof e164 !== 'string') return '';
  const zw = /^\+263(\d{2})(\d{3})(\d{4})$/.exec(e164);
  if (zw) return `+263 ${zw[1]} ${zw[2]} ${zw[3]}`;
  return e164;
}
