// @ts-check
/**
 * ESLint for the admin UI: the recommended JavaScript, typescript-eslint and angular-eslint
 * rules (inline templates included), and Sheriff's module boundaries (sheriff.config.ts).
 * `npm run lint` runs it; `npm test` runs the lint before the unit tests, so `make test`
 * fails on a domain that imports another domain.
 */
import eslint from '@eslint/js';
import sheriff from '@softarc/eslint-plugin-sheriff';
import angular from 'angular-eslint';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig([
  { ignores: ['dist/', '.angular/', 'node_modules/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    extends: [
      eslint.configs.recommended,
      tseslint.configs.recommended,
      tseslint.configs.stylistic,
      angular.configs.tsRecommended,
      sheriff.configs.all,
    ],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'adm', style: 'camelCase' },
      ],
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'adm', style: 'kebab-case' },
      ],
    },
  },
  {
    files: ['**/*.html'],
    extends: [angular.configs.templateRecommended, angular.configs.templateAccessibility],
  },
]);
