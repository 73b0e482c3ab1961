/**
 * Module boundaries of the admin UI, checked by Sheriff through ESLint (`npm run lint`, run
 * by `npm test`).
 *
 * Every folder below is a module with tags; an import from one module into another is allowed
 * only when, for each tag of the importing module, a rule in `depRules` names one of the
 * imported module's tags. What that gives:
 *
 * - a domain (`domains/<domain>/…`) imports only itself, `domains/shared` and `core`: two
 *   domains never know each other, so what two domains need lives in `domains/shared`;
 * - inside a domain the layers point one way: the routes file → `feature-*` → `ui` →
 *   `data` → `util` (a feature may use any lower layer; `data` never reaches up into a page);
 * - `core` (sign-in, HTTP, runtime config, the shell) imports only itself and
 *   `domains/shared`, never a business domain;
 * - the root (`main.ts`, `app*.ts`) wires everything together and may import anything;
 * - `src/testing` is for specs: anything may use it, and it uses only `core` (the `Session`
 *   its specs stand in for).
 *
 * Barrel-less mode: a module needs no `index.ts`; everything in it is public except files in
 * an `internal/` folder.
 */
import { SheriffConfig, sameTag } from '@softarc/sheriff-core';

export const config: SheriffConfig = {
  entryFile: 'src/main.ts',
  enableBarrelLess: true,
  modules: {
    'src/app/core/<area>': ['core'],
    // The domain's own folder holds its entry, `<domain>.routes.ts` (lazy-loaded by
    // app.routes.ts); its layers are modules of their own inside it.
    'src/app/domains/<domain>': ['domain:<domain>', 'type:routes'],
    'src/app/domains/<domain>/feature-<page>': ['domain:<domain>', 'type:feature'],
    'src/app/domains/<domain>/ui': ['domain:<domain>', 'type:ui'],
    'src/app/domains/<domain>/data': ['domain:<domain>', 'type:data'],
    'src/app/domains/<domain>/util': ['domain:<domain>', 'type:util'],
    'src/testing': ['testing'],
  },
  depRules: {
    root: '*',
    testing: ['core'],

    'domain:*': [sameTag, 'domain:shared', 'core', 'testing'],
    'type:routes': ['type:feature', 'core', 'testing'],
    'type:feature': ['type:ui', 'type:data', 'type:util', 'core', 'testing'],
    'type:ui': ['type:ui', 'type:data', 'type:util', 'core', 'testing'],
    'type:data': ['type:data', 'type:util', 'core', 'testing'],
    'type:util': ['type:util', 'core', 'testing'],

    core: ['core', 'domain:shared', 'testing'],
  },
};
