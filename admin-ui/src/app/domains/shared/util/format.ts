/**
 * Number and money formatting in the configured locale and currency (see RuntimeConfig).
 */

/** `12.5` → `$12.50` (in `currency`). Accepts the decimal strings the API sends. */
export function formatMoney(
  value: string | number | null | undefined,
  currency: string,
  locale: string,
): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) {
    return String(value);
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

/** `1234` → `1,234`. */
export function formatPoints(value: number | null | undefined, locale = 'en-US'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '';
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** `1 point`, `1,234 points`: a number of points with the right plural. */
export function pointsText(value: number, locale = 'en-US'): string {
  return `${formatPoints(value, locale)} ${value === 1 ? 'point' : 'points'}`;
}

/** The currency's symbol in the locale (`$` for USD), for input prefixes. */
export function currencySymbol(currency: string, locale: string): string {
  const part = new Intl.NumberFormat(locale, { style: 'currency', currency })
    .formatToParts(0)
    .find((p) => p.type === 'currency');
  return part?.value ?? currency;
}

/** A loyalty rate for reading: `"1.5000"` → `1.5`. */
export function formatRate(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const rate = Number(value);
  return Number.isFinite(rate) ? String(rate) : String(value);
}
