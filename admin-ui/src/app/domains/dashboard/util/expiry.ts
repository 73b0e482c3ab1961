/**
 * Point expiry as the owner types and reads it: whole days from 1 to 3650 (the loyalty
 * service's bounds), or nothing for points that never expire.
 */

/** The longest expiry a program may set: ten years (as the loyalty service). */
export const MAX_EXPIRY_DAYS = 3650;

/** A problem with the typed number of days (empty: never expire, fine). */
export function expiryDaysProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') {
    return null;
  }
  if (!/^\d+$/.test(value)) {
    return 'Enter a whole number of days, or leave it empty.';
  }
  const days = Number(value);
  if (days < 1 || days > MAX_EXPIRY_DAYS) {
    return `Enter from 1 to ${MAX_EXPIRY_DAYS} days, or leave it empty.`;
  }
  return null;
}

/** The typed days as the API takes them: a number, or null for never. */
export function toExpiryDays(raw: string): number | null {
  const value = raw.trim();
  return value === '' ? null : Number(value);
}

/** The rule in words: "Points expire 365 days after they are earned." */
export function expiryText(days: number | null): string {
  if (days === null) {
    return 'Points never expire.';
  }
  return days === 1
    ? 'Points expire 1 day after they are earned.'
    : `Points expire ${days.toLocaleString('en-US')} days after they are earned.`;
}
