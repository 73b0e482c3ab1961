import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  expiryNote, formatDate, formatDay, formatMoney, formatNumber, formatSignedPoints, parseTimestamp, pointsLabel,
} from '../src/js/format.js';

test('timestamps without a zone are UTC', () => {
  assert.equal(parseTimestamp('2026-03-12T14:05:00').toISOString(), '2026-03-12T14:05:00.000Z');
  assert.equal(parseTimestamp('2026-03-12T14:05:00+02:00').toISOString(), '2026-03-12T12:05:00.000Z');
  assert.equal(parseTimestamp('nonsense'), null);
});

test('dates read like the admin app\'s (d MMM y, HH:mm) in Harare time, whatever the locale', () => {
  // 14:58 UTC is 16:58 in Harare (UTC+2, no daylight saving).
  assert.equal(formatDate('2026-12-02T14:58:00Z'), '2 Dec 2026, 16:58');
  assert.equal(formatDate('2026-12-02T14:58:00Z', { locale: 'en-GB' }), '2 Dec 2026, 16:58');
  // Past midnight in Harare is the next day, and a zone-less timestamp is UTC.
  assert.equal(formatDate('2026-01-09T22:05:00'), '10 Jan 2026, 00:05');
  assert.equal(formatDate('2026-01-09T22:05:00Z', { timeZone: 'UTC' }), '9 Jan 2026, 22:05');
  assert.equal(formatDate(null), '');
  assert.equal(formatDate('yesterday'), '');
});

test('money is the admin app\'s: currency symbol and two decimals', () => {
  assert.equal(formatMoney('25.5'), '$25.50');
  assert.equal(formatMoney(1234), '$1,234.00');
  assert.equal(formatMoney('182.25'), '$182.25');
  assert.equal(formatMoney('3', { currency: 'ZWG', locale: 'en-US' }), 'ZWG\u00a03.00');
  assert.equal(formatMoney(null), '');
  assert.equal(formatMoney('abc'), '');
});

test('points', () => {
  assert.equal(formatSignedPoints(12), '+12');
  assert.equal(formatSignedPoints(-1500), '\u22121,500');
  assert.equal(formatSignedPoints(0), '0');
  assert.equal(formatNumber(12345), '12,345');
  assert.equal(formatNumber(12.7), '13');
  assert.equal(pointsLabel(1), '1 point');
  assert.equal(pointsLabel(40), '40 points');
});

test('an expiry day reads "12 Jan", with the year only when it is far off', () => {
  const today = new Date('2026-12-02T15:00:00Z');
  assert.equal(formatDay('2027-01-12', { today }), '12 Jan');
  assert.equal(formatDay('2027-09-28', { today }), '28 Sep');
  assert.equal(formatDay('2027-10-30', { today }), '30 Oct 2027');
  assert.equal(formatDay('12 Jan', { today }), '');
  assert.equal(formatDay(null, { today }), '');
  assert.equal(expiryNote({ points: 40, date: '2027-01-12' }, { today }), '40 points expire on 12 Jan');
  assert.equal(expiryNote({ points: 1, date: '2027-01-12' }, { today }), '1 point expires on 12 Jan');
  assert.equal(expiryNote({ points: 1250, date: '2027-01-12' }, { today }), '1,250 points expire on 12 Jan');
  assert.equal(expiryNote(null, { today }), '');
  assert.equal(expiryNote({ points: 0, date: '2027-01-12' }, { today }), '');
});
