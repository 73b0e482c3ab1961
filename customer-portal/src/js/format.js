/**
 * Display helpers: money, dates, points. The formats are the admin app's (one convention
 * for the platform, see `admin-ui/src/app/domains/shared/util/format.ts` and its date
 * pattern `d MMM y, HH:mm`): `$12.50`, `1,234`, `2 Dec 2026, 16:58` in the configured
 * time zone (Harare by default), whatever the phone's own settings. Currency, locale and
 * zone come from `config.js`.
 */

import { settings } from './config.js';

/** Parse a UTC ISO-8601 timestamp; one without a zone is taken as UTC (the platform's rule). */
export function parseTimestamp(iso) {
  if (typeof iso !== 'string' || !iso) return null;
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(iso);
  const date = new Date(hasZone || !iso.includes('T') ? iso : `${iso}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "2 Dec 2026, 16:58" ('' when unreadable): day, short month, year, 24-hour time, in that
 * order in every locale (the admin app's `d MMM y, HH:mm`); the month's name is the
 * locale's. Built from the parts so en-US does not turn it into "Dec 2, 2026".
 */
export function formatDate(iso, { locale = settings().locale, timeZone = settings().timeZone } = {}) {
  const date = parseTimestamp(iso);
  if (!date) return '';
  const parts = {};
  const format = new Intl.DateTimeFormat(locale, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone,
  });
  for (const { type, value } of format.formatToParts(date)) parts[type] = value;
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

/** 1234 → "1,234" (locale grouping, no decimals). */
export function formatNumber(value, locale = settings().locale) {
  const n = Number(value);
  return Number.isFinite(n) ? new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n) : '';
}

/** Signed points: "+12", "−30" (a real minus sign), "0". */
export function formatSignedPoints(points, locale = settings().locale) {
  const n = Number(points);
  if (!Number.isFinite(n)) return '';
  const abs = formatNumber(Math.abs(n), locale);
  return n > 0 ? `+${abs}` : n < 0 ? `\u2212${abs}` : abs;
}

/** "1 point", "12 points". */
export function pointsLabel(points, locale = settings().locale) {
  const n = Number(points);
  return `${formatNumber(n, locale)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
}

/**
 * A money amount (the API's decimal string, or a number) in the configured currency:
 * `"12.5"` → `"$12.50"`, as the admin app's `formatMoney`; '' when absent or unreadable.
 */
export function formatMoney(value, { currency = settings().currency, locale = settings().locale } = {}) {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(n);
}

/** Beyond this many days ahead a day is written with its year: "12 Jan" could be next year. */
const YEARLESS_DAYS = 300;

/**
 * A UTC day ("2027-01-12", as `next_expiry.date`) written "12 Jan" — with the year when
 * it is more than 300 days after `today` (as the SMS reminders write it); '' when unreadable.
 */
export function formatDay(isoDay, { today = new Date(), locale = settings().locale } = {}) {
  if (typeof isoDay !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) return '';
  const day = new Date(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return '';
  const withYear = (day - today) / 86_400_000 > YEARLESS_DAYS;
  const parts = {};
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  for (const { type, value } of format.formatToParts(day)) parts[type] = value;
  return withYear ? `${parts.day} ${parts.month} ${parts.year}` : `${parts.day} ${parts.month}`;
}

/** "40 points expire on 12 Jan" ('' without an expiry): the balance's `next_expiry`. */
export function expiryNote(nextExpiry, options = {}) {
  const points = Number(nextExpiry?.points);
  const day = formatDay(nextExpiry?.date, options);
  if (!(points > 0) || !day) return '';
  return `${pointsLabel(points, options.locale)} ${points === 1 ? 'expires' : 'expire'} on ${day}`;
}
