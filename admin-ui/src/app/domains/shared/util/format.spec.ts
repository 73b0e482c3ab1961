import { currencySymbol, formatMoney, formatPoints, formatRate, pointsText } from './format';

describe('format', () => {
  it('formats money in the configured currency', () => {
    expect(formatMoney('25.5', 'USD', 'en-US')).toBe('$25.50');
    expect(formatMoney(1234, 'USD', 'en-US')).toBe('$1,234.00');
    expect(formatMoney(null, 'USD', 'en-US')).toBe('');
  });

  it('formats points, rates and currency symbols', () => {
    expect(formatPoints(12345)).toBe('12,345');
    expect(formatRate('1.5000')).toBe('1.5');
    expect(currencySymbol('USD', 'en-US')).toBe('$');
  });

  it('writes "1 point" and "2 points"', () => {
    expect(pointsText(1)).toBe('1 point');
    expect(pointsText(0)).toBe('0 points');
    expect(pointsText(1500)).toBe('1,500 points');
  });
});
