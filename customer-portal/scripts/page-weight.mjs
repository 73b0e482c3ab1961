/**
 * Page-weight budget: the whole of dist/ (HTML + CSS + JS, uncompressed) must stay under
 * 100 kB, because most customers load the portal on a cheap phone over a slow connection.
 * Prints each file and the total (gzip sizes for information); exits 1 over budget.
 * Usage: `npm run weight` (after `npm run build`).
 */

import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

import { listFiles, root } from './files.mjs';

export const BUDGET_BYTES = 100 * 1000;

const dist = join(root, 'dist');

let files;
try {
  files = await listFiles(dist);
} catch {
  console.error('dist/ not found: run `npm run build` first.');
  process.exit(1);
}
for (const required of ['index.html', 'css/app.css', 'js/main.js']) {
  if (!files.includes(join(dist, required))) {
    console.error(`dist/${required} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

let total = 0;
let gzipTotal = 0;
for (const file of files) {
  const bytes = await readFile(file);
  const gz = gzipSync(bytes).length;
  total += bytes.length;
  gzipTotal += gz;
  console.log(`${String(bytes.length).padStart(8)} B  ${String(gz).padStart(7)} B gz  ${relative(dist, file)}`);
}
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(`total ${kb(total)} uncompressed (${kb(gzipTotal)} gzipped file by file), budget ${kb(BUDGET_BYTES)}`);
if (total > BUDGET_BYTES) {
  console.error(`Page weight ${kb(total)} is over the ${kb(BUDGET_BYTES)} budget.`);
  process.exit(1);
}
