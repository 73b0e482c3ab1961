/**
 * Settings that differ per deployment without a rebuild, read once at start-up from
 * `config.json` beside the page (the admin app's `public/config.json` works the same way):
 *
 * - `smsNumber`: the number customers text (BALANCE, or any question for the assistant);
 *   shown wherever the portal says "Text BALANCE to …". Empty: the page says "the Mubayiro
 *   SMS number" instead of inventing one.
 * - `currency` (ISO 4217) and `locale` (BCP 47): money and month names, as in the admin app.
 * - `timeZone` (IANA): every date and time is shown in it, whatever the phone's own zone.
 *
 * A missing or broken file, or a value that does not check out, leaves that default.
 */

/** The defaults: the admin app's (USD, en-US), Harare time, no SMS number. */
export const DEFAULT_SETTINGS = Object.freeze({
  smsNumber: '',
  currency: 'USD',
  locale: 'en-US',
  timeZone: 'Africa/Harare',
});

let current = DEFAULT_SETTINGS;

/** The settings in force (the defaults until `loadConfig()` has read the file). */
export function settings() {
  return current;
}

function validCurrency(value) {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
}

function validLocale(value) {
  if (typeof value !== 'string' || !value) return false;
  try {
    return Intl.NumberFormat.supportedLocalesOf([value]).length > 0;
  } catch {
    return false; // not a well-formed language tag
  }
}

function validTimeZone(value) {
  if (typeof value !== 'string' || !value) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function validSmsNumber(value) {
  return typeof value === 'string' && /^\+?[0-9 ()-]{3,24}$/.test(value.trim());
}

/** The settings a parsed `config.json` gives: each valid field over its default. */
export function settingsFrom(raw) {
  const data = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  return Object.freeze({
    smsNumber: validSmsNumber(data.smsNumber) ? data.smsNumber.trim() : DEFAULT_SETTINGS.smsNumber,
    currency: validCurrency(data.currency) ? data.currency : DEFAULT_SETTINGS.currency,
    locale: validLocale(data.locale) ? data.locale : DEFAULT_SETTINGS.locale,
    timeZone: validTimeZone(data.timeZone) ? data.timeZone : DEFAULT_SETTINGS.timeZone,
  });
}

/** Read `config.json` once (never throws: without it the defaults stand). */
export async function loadConfig(fetchImpl = globalThis.fetch) {
  try {
    // The same request as the page's <link rel="preload" as="fetch" crossorigin>, so the
    // preloaded answer is used (the server marks it no-cache: it is revalidated each load).
    const response = await fetchImpl('config.json', { credentials: 'same-origin' });
    current = settingsFrom(response.ok ? await response.json() : null);
  } catch {
    current = DEFAULT_SETTINGS; // offline or not JSON: the defaults are good enough
  }
  return current;
}

/** How the page names the SMS number: the configured one, readable, else in words. */
export function smsNumberText(number = current.smsNumber) {
  if (!number) return 'the Mubayiro SMS number';
  const digits = number.replace(/[\s()-]/g, '');
  const zw = /^\+263(\d{2})(\d{3})(\d{4})$/.exec(digits);
  return zw ? `+263 ${zw[1]} ${zw[2]} ${zw[3]}` : number;
}
