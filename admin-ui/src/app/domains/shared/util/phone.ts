/**
 * Phone numbers as people type and read them.
 *
 * The server parses numbers properly (`phonenumbers`, default region ZW) and answers in E.164;
 * the client only does a light check so an obvious typo is caught before a round trip, and
 * formats E.164 for reading: `+263771234567` → `+263 77 123 4567`.
 */

/** Remove the separators people type: spaces, dashes, dots and brackets. */
export function cleanPhone(raw: string): string {
  return raw.trim().replace(/[\s\-().]/g, '');
}

/**
 * A message when `raw` cannot be a phone number, else null.
 * Accepts local Zimbabwe numbers (`0771234567`) and international ones (`+263771234567`,
 * `+263 77 123 4567`, `00263…`); a `+263` number must have 9 digits after the country code.
 */
export function phoneProblem(raw: string): string | null {
  const value = cleanPhone(raw);
  if (value === '') {
    return 'Enter the phone number.';
  }
  if (!/^\+?\d+$/.test(value)) {
    return 'Use digits only, e.g. 0771234567 or +263 77 123 4567.';
  }
  const international = value.startsWith('+')
    ? value.slice(1)
    : value.startsWith('00')
      ? value.slice(2)
      : null;
  if (international !== null) {
    if (international.startsWith('263')) {
      return international.length === 12 ? null : 'A +263 number has 9 digits after +263.';
    }
    return /^[1-9]\d{6,14}$/.test(international) ? null : 'That does not look like a phone number.';
  }
  if (value.startsWith('0')) {
    return value.length === 10 ? null : 'A local number has 10 digits, e.g. 0771234567.';
  }
  return 'Start with 0 (local) or + and the country code.';
}

/** Format a number for reading: `+263 77 123 4567` for Zimbabwe, others grouped lightly. */
export function formatPhone(value: string | null | undefined): string {
  if (!value) {
    return '';
  }
  const clean = cleanPhone(value);
  const zw = /^\+263(\d{2})(\d{3})(\d{4})$/.exec(clean) ?? /^0(\d{2})(\d{3})(\d{4})$/.exec(clean);
  if (zw) {
    return `+263 ${zw[1]} ${zw[2]} ${zw[3]}`;
  }
  return value;
}
