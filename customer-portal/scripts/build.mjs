/**
 * Build the portal into dist/: the page, the ES modules as they are (no bundler), and the
 * stylesheet compiled by the Tailwind CLI, and the default `config.json`. The page gets a <link rel="modulepreload"> for
 * every module so a slow connection fetches them in parallel instead of one import at a
 * time. Usage: `npm run build`.
 */

import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { listFiles, root } from './files.mjs';

const src = join(root, 'src');
const dist = join(root, 'dist');
const tailwindCli = join(root, 'node_modules', '@tailwindcss', 'cli', 'dist', 'index.mjs');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'css'), { recursive: true });
await cp(join(src, 'js'), join(dist, 'js'), { recursive: true });
// The deployment's settings (SMS number, currency, locale, time zone): a deployment
// replaces dist/config.json without rebuilding (see README, "Settings").
JSON.parse(await readFile(join(src, 'config.json'), 'utf8')); // refuse to ship broken JSON
await cp(join(src, 'config.json'), join(dist, 'config.json'));

const modules = (await listFiles(join(dist, 'js')))
  .filter((f) => f.endsWith('.js'))
  .map((f) => relative(dist, f).split(sep).join('/'))
  .filter((f) => f !== 'js/main.js');
const preload = modules.map((m) => `<link rel="modulepreload" href="${m}" />`).join('\n    ');
const html = await readFile(join(src, 'index.html'), 'utf8');
if (!html.includes('<!-- build:modulepreload -->')) throw new Error('index.html lacks the modulepreload marker');
await writeFile(join(dist, 'index.html'), html.replace('<!-- build:modulepreload -->', preload));

const css = spawnSync(
  process.execPath,
  [tailwindCli, '-i', join(src, 'css', 'app.css'), '-o', join(dist, 'css', 'app.css'), '--minify'],
  { cwd: root, stdio: 'inherit' },
);
if (css.status !== 0) {
  console.error('Tailwind build failed');
  process.exit(css.status ?? 1);
}

// The portal makes no requests outside its origin: no CDN, fonts or remote images.
const external = /(?:src|href)\s*=\s*["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\/|@import\s+["']?(?:https?:)?\/\//i;
for (const file of await listFiles(dist)) {
  if (external.test(await readFile(file, 'utf8'))) {
    console.error(`External reference in ${relative(root, file)}`);
    process.exit(1);
  }
}
console.log(`Built dist/ (${modules.length + 1} modules)`);
