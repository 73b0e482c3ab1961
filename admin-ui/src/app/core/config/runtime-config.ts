/**
 * Settings that may differ per deployment without a rebuild: the business currency and the
 * display locale. Defaults live here (USD, en-US); `public/config.json` (served beside the app
 * at `/admin/config.json`) may override them and is read once at start-up.
 */
import { HttpClient } from '@angular/common/http';
import { Service, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { quiet } from '../http/http-context';

export interface AppSettings {
  /** ISO 4217 code every amount is shown in. */
  readonly currency: string;
  /** BCP 47 locale for numbers, money and dates. */
  readonly locale: string;
}

export const DEFAULT_SETTINGS: AppSettings = { currency: 'USD', locale: 'en-US' };

function validCurrency(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
}

function validLocale(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) {
    return false;
  }
  try {
    return Intl.NumberFormat.supportedLocalesOf([value]).length > 0;
  } catch {
    return false;
  }
}

@Service()
export class RuntimeConfig {
  readonly #http = inject(HttpClient);
  readonly #settings = signal<AppSettings>(DEFAULT_SETTINGS);

  readonly settings = this.#settings.asReadonly();
  readonly currency = computed(() => this.#settings().currency);
  readonly locale = computed(() => this.#settings().locale);

  /** Read `config.json`; keep the defaults for anything missing or invalid. */
  async load(): Promise<void> {
    try {
      const raw = await firstValueFrom(
        this.#http.get<Record<string, unknown>>('config.json', { context: quiet() }),
      );
      this.#settings.set({
        currency: validCurrency(raw['currency']) ? raw['currency'] : DEFAULT_SETTINGS.currency,
        locale: validLocale(raw['locale']) ? raw['locale'] : DEFAULT_SETTINGS.locale,
      });
    } catch {
      // No config.json: the defaults stand.
    }
  }
}
