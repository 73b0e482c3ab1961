/**
 * File helpers shared by the portal's scripts (build, page weight).
 */

import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The portal's folder (customer-portal/). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every file below `dir`, at any depth, as full paths in sorted order. */
export async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out.sort();
}
