#!/usr/bin/env node
// Prints the gzipped size of the initial bundle of the production build (what a phone must
// download before the first screen): the entry scripts of dist/admin-ui/browser/index.html
// plus every chunk they import statically (read from browser-stats.json, else the
// <link rel="modulepreload"> tags), and the global stylesheet. Run after `npm run build`.
//
// Usage: node scripts/bundle-size.mjs [--max-kb N]   (exit 1 when the JS total exceeds N kB)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist', 'admin-ui');
const browser = join(dist, 'browser');
const indexPath = join(browser, 'index.html');
if (!existsSync(indexPath)) {
  console.error('No build found: run `npm run build` first.');
  process.exit(2);
}
const html = readFileSync(indexPath, 'utf8');
const attr = (tag, name) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
const tags = (pattern) => [...html.matchAll(pattern)].map((m) => m[0]);

const entries = tags(/<script\b[^>]*\bsrc="[^"]+"[^>]*>/g).map((t) => attr(t, 'src'));
const preloads = tags(/<link\b[^>]*rel="modulepreload"[^>]*>/g).map((t) => attr(t, 'href'));
const styles = [
  ...new Set(tags(/<link\b[^>]*rel="stylesheet"[^>]*>/g).map((t) => attr(t, 'href'))),
];

// Follow static imports through the esbuild metafile, so nothing initial is missed.
const initial = new Set([...entries, ...preloads]);
const statsPath = join(dist, 'browser-stats.json');
if (existsSync(statsPath)) {
  const outputs = JSON.parse(readFileSync(statsPath, 'utf8')).outputs ?? {};
  const queue = [...initial];
  while (queue.length > 0) {
    const file = queue.pop();
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !initial.has(imported.path)) {
        initial.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
}

const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7) + ' kB';
function measure(files) {
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const content = readFileSync(join(browser, file));
    const zipped = gzipSync(content, { level: 9 }).length;
    raw += content.length;
    gz += zipped;
    console.log(`  ${file.padEnd(28)} ${kb(content.length)} raw ${kb(zipped)} gzip`);
  }
  return { raw, gz };
}

console.log('Initial JavaScript:');
const js = measure([...initial].filter((f) => f.endsWith('.js')));
console.log('Global CSS:');
const css = measure(styles);
console.log(`Initial JS total:  ${kb(js.raw)} raw ${kb(js.gz)} gzip`);
console.log(`Initial JS + CSS:  ${kb(js.raw + css.raw)} raw ${kb(js.gz + css.gz)} gzip`);

const maxIndex = process.argv.indexOf('--max-kb');
if (maxIndex > 0) {
  const max = Number(process.argv[maxIndex + 1]);
  if (js.gz / 1024 > max) {
    console.error(
      `Initial JS is ${(js.gz / 1024).toFixed(1)} kB gzipped, over the ${max} kB limit.`,
    );
    process.exit(1);
  }
}
