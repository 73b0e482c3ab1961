import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatAmount, formatDate, formatNumber, formatSignedPoints, parseTimestamp, pointsLabel } from '../src/js/format.js';

test('timestamps without a zone are UTC', () => {
  assert.equal(parseTimestamp('2026-03-12T14:05:00').toISOString(), '2026-03-12T14:05:00.000Z');
  assert.equal(parseTimestamp('2026-03-12T14:05:00+02:00').toISOString(), '2026-03-12T12:05:00.000Z');
  assert.equal(parseTimestamp('nonsense'), null);
});

test('dates read in the local form', () => {
  const text = formatDate('2026-03-12T14:05:00Z', { locale: 'en-GB', timeZone: 'Africa/Harare' });
  assert.match(text, /12 Mar 2026/);
  assert.match(text, /16:05/);
  assert.equal(formatDate(null), '');
});

test('points and amounts', () => {
  assert.equal(formatSignedPoints(12, 'en'), '+12');
  assert.equal(formatSignedPoints(-1500, 'en'), '\u22121,500');
  assert.equal(formatSignedPoints(0, 'en'), '0');
  assert.equal(formatNumber(12345, 'en'), '12,345');
  assert.equal(pointsLabel(1, 'en'), '1 point');
  assert.equal(pointsLabel(40, 'en'), '40 points');
  assert.equal(formatAmount('12.5', 'en'), '12.50');
  assert.equal(formatAmount(null), '');
});
