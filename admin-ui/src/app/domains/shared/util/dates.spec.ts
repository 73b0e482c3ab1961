import { daysAgo, isoDay, lastDays, plural } from './dates';

describe('dates', () => {
  const now = new Date('2026-12-02T23:30:00Z');

  it('counts report periods in UTC days, today included', () => {
    expect(isoDay(now)).toBe('2026-12-02');
    expect(daysAgo(2, now)).toBe('2026-11-30');
    expect(lastDays(30, now)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
  });

  it('writes "1 redemption" and "2 redemptions"', () => {
    expect(plural(1, 'redemption')).toBe('redemption');
    expect(plural(0, 'redemption')).toBe('redemptions');
    expect(plural(2, 'visit')).toBe('visits');
  });
});
