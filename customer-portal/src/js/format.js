/** Display helpers: dates in the reader's local form, points and money amounts. */

/** Parse a UTC ISO-8601 timestamp; one without a zone is taken as UTC (the platform's rule). */
export function parseTimestamp(iso) {
  if (typeof iso !== 'string' || !iso) return null;
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(iso);
  const date = new Date(hasZone || !iso.includes('T') ? iso : `${iso}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 Mar 2026, 14:05" in the reader's locale and time zone ('' when unreadable). */
export function formatDate(iso, { locale, timeZone } = {}) {
  const date = parseTimestamp(iso);
  if (!date) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** 1234 → "1,234" (locale grouping). */
export function formatNumber(value, locale) {
  const n = Number(value);
  return Number.isFinite(n) ? new Intl.NumberFormat(locale).format(n) : '';
}

/** Signed points: "+12", "−30" (a real minus sign), "0". */
export function formatSignedPoints(points, locale) {
  const n = Number(points);
  if (!Number.isFinite(n)) return '';
  const abs = formatNumber(Math.abs(n), locale);
  return n > 0 ? `+${abs}` : n < 0 ? `\u2212${abs}` : abs;
}

/** "1 point", "12 points". */
export function pointsLabel(points, locale) {
  const n = Number(points);
  return `${formatNumber(n, locale)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
}

/** A money amount (decimal string or number) with two decimals; '' when absent. */
export function formatAmount(value, locale) {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}
