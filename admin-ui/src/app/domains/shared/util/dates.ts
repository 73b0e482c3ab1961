/**
 * Report periods: reports count in UTC days (`YYYY-MM-DD`, inclusive), so the app asks for
 * UTC days too; "the last 30 days" is today and the 29 days before it.
 */

/** The UTC day of `date`, `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC day `days` days before `now`. */
export function daysAgo(days: number, now = new Date()): string {
  const date = new Date(now.getTime());
  date.setUTCDate(date.getUTCDate() - days);
  return isoDay(date);
}

/** The inclusive range of the last `days` days, ending today. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  return { from: daysAgo(days - 1, now), to: isoDay(now) };
}

/** The default period of the dashboard and the reports page. */
export const DEFAULT_PERIOD_DAYS = 30;

/** `1 redemption`, `2 redemptions`: a count with its noun in the right number. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
