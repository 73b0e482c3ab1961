/** config.json: each valid setting over its default, and never a failure without it. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { DEFAULT_SETTINGS, loadConfig, settings, settingsFrom, smsNumberText } from '../src/js/config.js';
import { formatDate, formatMoney } from '../src/js/format.js';
import { jsonResponse } from './helpers/fake-fetch.mjs';

test('the defaults are the admin app\'s money and Harare time, and no invented SMS number', () => {
  assert.deepEqual({ ...DEFAULT_SETTINGS }, { smsNumber: '', currency: 'USD', locale: 'en-US', timeZone: 'Africa/Harare' });
  assert.equal(smsNumberText(''), 'the Mubayiro SMS number');
});

test('valid values replace the defaults; invalid ones leave them', () => {
  assert.deepEqual(
    { ...settingsFrom({ smsNumber: ' +263772000111 ', currency: 'ZWG', locale: 'en-GB', timeZone: 'UTC' }) },
    { smsNumber: '+263772000111', currency: 'ZWG', locale: 'en-GB', timeZone: 'UTC' },
  );
  assert.deepEqual(
    { ...settingsFrom({ smsNumber: '<b>call</b>', currency: 'usd', locale: 'not a locale!', timeZone: 'Mars/Olympus' }) },
    { ...DEFAULT_SETTINGS },
  );
  assert.deepEqual({ ...settingsFrom([1, 2]) }, { ...DEFAULT_SETTINGS });
  assert.deepEqual({ ...settingsFrom(null) }, { ...DEFAULT_SETTINGS });
});

test('a Zimbabwean SMS number reads in groups; others as configured', () => {
  assert.equal(smsNumberText('+263772000111'), '+263 77 200 0111');
  assert.equal(smsNumberText('+1 500 555 0006'), '+1 500 555 0006');
});

test('loadConfig reads config.json beside the page, and the formats follow it', async () => {
  const seen = [];
  await loadConfig(async (url, init) => {
    seen.push([url, init.credentials]);
    return jsonResponse(200, { smsNumber: '+263772000111', timeZone: 'UTC' });
  });
  assert.deepEqual(seen, [['config.json', 'same-origin']]);
  assert.equal(settings().smsNumber, '+263772000111');
  assert.equal(formatDate('2026-12-02T14:58:00Z'), '2 Dec 2026, 14:58');
  assert.equal(formatMoney('1'), '$1.00');

  await loadConfig(async () => jsonResponse(404, { detail: 'Not Found' }));
  assert.deepEqual({ ...settings() }, { ...DEFAULT_SETTINGS });
  await loadConfig(async () => {
    throw new TypeError('offline');
  });
  assert.deepEqual({ ...settings() }, { ...DEFAULT_SETTINGS });
  await loadConfig(async () => new Response('<html>', { status: 200 }));
  assert.deepEqual({ ...settings() }, { ...DEFAULT_SETTINGS });
});

test('the shipped development config.json is valid and complete', async () => {
  const raw = JSON.parse(await readFile(new URL('../src/config.json', import.meta.url), 'utf8'));
  assert.deepEqual(Object.keys(raw).sort(), ['currency', 'locale', 'smsNumber', 'timeZone']);
  assert.deepEqual({ ...settingsFrom(raw) }, raw);
});
