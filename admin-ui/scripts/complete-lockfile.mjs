#!/usr/bin/env node
// Adds the lockfile entries `npm install` leaves out when the npm registry this machine
// reaches lacks another platform's build of an optional native package (e.g.
// @tailwindcss/oxide-darwin-arm64@4.3.5 while the linux-x64 build is there). Without them
// `npm ci` refuses the lockfile ("Missing: … from lock file"); with them it installs the
// packages for this platform and skips the others, exactly as with a lockfile written against
// the full registry.
//
// Each added entry is the exact pinned version its parent asks for, marked optional, with the
// os/cpu/libc fields read from the registry's metadata of that package (any version: they do
// not change between versions). Run after `npm install` whenever dependencies change:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lockPath = join(import.meta.dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const registry = (process.env.npm_config_registry || 'https://registry.npmjs.org/').replace(
  /\/?$/,
  '/',
);

/** Where npm would look for `name` required from the package at `parentPath`. */
function resolvedPath(parentPath, name) {
  let base = parentPath;
  for (;;) {
    const candidate = `${base ? base + '/' : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut >= 0 ? base.slice(0, cut) : '';
  }
}

async function platformFields(name) {
  const response = await fetch(registry + name.replace('/', '%2f'));
  if (!response.ok) return null;
  const versions = Object.values((await response.json()).versions ?? {});
  const sample = versions.find((v) => v.os || v.cpu);
  if (!sample) return null;
  const fields = {};
  for (const key of ['cpu', 'libc', 'os']) if (sample[key]) fields[key] = sample[key];
  return fields;
}

let added = 0;
for (const [parentPath, entry] of Object.entries({ ...packages })) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolvedPath(parentPath, name)) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      console.warn(`skipped ${name}@${spec} (from ${parentPath || 'root'}): not an exact version`);
      continue;
    }
    const fields = await platformFields(name);
    if (!fields) {
      console.warn(`skipped ${name}@${spec}: no platform metadata in the registry`);
      continue;
    }
    const rootPath = `node_modules/${name}`;
    const path = packages[rootPath] ? `${parentPath}/node_modules/${name}` : rootPath;
    // Keys in the order npm itself writes them (version, then alphabetical).
    const rest = { ...fields, ...(entry.dev ? { dev: true } : {}), optional: true };
    const sorted = Object.fromEntries(
      Object.entries(rest).sort(([a], [b]) => a.localeCompare(b, 'en')),
    );
    packages[path] = { version: spec, ...sorted };
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
  ),
);
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(
  `package-lock.json: ${added} optional platform entr${added === 1 ? 'y' : 'ies'} added.`,
);
