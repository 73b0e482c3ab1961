/** The page itself: the test ids browser tests rely on, and no request leaving the origin. */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

const src = new URL('../src/', import.meta.url).pathname;

const REQUIRED_TEST_IDS = [
  'phone-input', 'send-code-button', 'code-input', 'verify-button', 'signin-status',
  'total-points', 'history-list', 'rewards-list', 'recommendations-list',
  'rewards-summary', 'shop-rewards-list', 'rewards-see-all', 'rewards-all', 'sms-number', 'skip-link',
  'invite-form', 'invite-phone', 'invite-submit', 'invite-status',
  'chat-panel', 'chat-input', 'chat-send', 'chat-log',
  'sign-out', 'error-banner',
];

test('the page carries every stable data-testid', async () => {
  const html = await readFile(join(src, 'index.html'), 'utf8');
  for (const id of REQUIRED_TEST_IDS) assert.ok(html.includes(`data-testid="${id}"`), id);
});

test('every test id a module looks up exists in the page', async () => {
  const html = await readFile(join(src, 'index.html'), 'utf8');
  const dirs = [join(src, 'js'), join(src, 'js', 'sections')];
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.js'))) {
      const code = await readFile(join(dir, name), 'utf8');
      for (const [, id] of code.matchAll(/byTestId\('([^']+)'\)/g)) {
        assert.ok(html.includes(`data-testid="${id}"`), `${name} looks up ${id}`);
      }
    }
  }
});

test('nothing is loaded from another origin', async () => {
  const html = await readFile(join(src, 'index.html'), 'utf8');
  const css = await readFile(join(src, 'css', 'app.css'), 'utf8');
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.doesNotMatch(css, /url\(\s*["']?(https?:)?\/\/|@import\s+["']?(https?:)?\/\//i);
});

test('accessibility basics: a skip link to main, fields described by their status lines, no hint in a label', async () => {
  const html = await readFile(join(src, 'index.html'), 'utf8');
  assert.match(html, /<a\s+href="#main"[^>]*>\s*Skip to content/);
  assert.match(html, /<main id="main"/);
  for (const [field, status] of [['phone-input', 'signin-status'], ['code-input', 'signin-status'], ['invite-phone', 'invite-status']]) {
    const input = new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*\\b${status}\\b`, 's');
    assert.match(html, input, `${field} is described by ${status}`);
    assert.match(html, new RegExp(`id="${status}"`));
  }
  for (const [, label] of html.matchAll(/<label[^>]*>([\s\S]*?)<\/label>/g)) {
    assert.doesNotMatch(label, /<(p|span|small|strong|div)\b/, `a label holds only its name: ${label.trim()}`);
  }
  assert.doesNotMatch(html, /#b7791f/i);
});

test('config.json is preloaded with the page, so reading it costs no round trip of its own', async () => {
  const html = await readFile(join(src, 'index.html'), 'utf8');
  assert.match(html, /<link rel="preload" href="config.json" as="fetch" crossorigin \/>/);
});
