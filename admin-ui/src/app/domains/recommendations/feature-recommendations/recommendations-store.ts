/**
 * The recommendations page's state: what the engine can suggest (its rules, in plain words),
 * the business's cross-promotion partners as saved and as being edited, and the search that
 * finds new partners by name in the public directory (asked only once something is typed, so
 * the page never lists every business). Provided by the page, so the state lives as long as
 * the page.
 */
import { Service, computed, inject, linkedSignal, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { humanMessage } from '../../shared/util/messages';
import {
  DirectoryEntry,
  MAX_PARTNERS,
  RecommendationsClient,
} from '../data/recommendations-client';
import { rankingText, ruleText } from './rule-text';

/** How many matches the partner search shows. */
export const SEARCH_RESULTS = 20;

@Service({ autoProvided: false })
export class RecommendationsStore {
  readonly #session = inject(Session);
  readonly #client = inject(RecommendationsClient);

  readonly #capabilities = resource({ loader: () => this.#client.capabilities() });
  readonly #partners = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#client.partners(params),
  });
  readonly #query = signal('');
  readonly #matches = resource({
    params: () => this.#query().trim() || undefined,
    loader: ({ params }) => this.#client.directory(params, SEARCH_RESULTS + 1),
  });
  /** The partners as edited (starts from the saved ones). */
  readonly #chosen = linkedSignal<readonly DirectoryEntry[]>(() =>
    this.#partners.hasValue() ? this.#partners.value().partners : [],
  );
  readonly #saving = signal(false);
  readonly #message = signal<{ kind: 'success' | 'error'; text: string } | null>(null);

  readonly maxPartners = MAX_PARTNERS;
  readonly capabilities = this.#capabilities.asReadonly();
  /** The rules in plain words, in ranking order. */
  readonly rules = computed(() =>
    this.#capabilities.hasValue() ? this.#capabilities.value().rules.map(ruleText) : [],
  );
  readonly ranking = computed(() =>
    this.#capabilities.hasValue() ? rankingText(this.#capabilities.value()) : '',
  );
  readonly partners = this.#partners.asReadonly();
  readonly chosen = this.#chosen.asReadonly();
  readonly query = this.#query.asReadonly();
  readonly matches = this.#matches.asReadonly();
  /** Matching businesses other than this one, at most `SEARCH_RESULTS`. */
  readonly results = computed(() => {
    const own = this.#session.businessId();
    const rows = this.#matches.hasValue() ? this.#matches.value() : [];
    return rows.filter((b) => b.id !== own).slice(0, SEARCH_RESULTS);
  });
  /** More businesses match than are shown: type more of the name. */
  readonly moreResults = computed(
    () => this.#matches.hasValue() && this.#matches.value().length > SEARCH_RESULTS,
  );
  readonly full = computed(() => this.#chosen().length >= MAX_PARTNERS);
  readonly saving = this.#saving.asReadonly();
  readonly message = this.#message.asReadonly();

  search(query: string): void {
    this.#query.set(query);
  }

  isChosen(id: number): boolean {
    return this.#chosen().some((b) => b.id === id);
  }

  /** Add `business` to the partners being edited (or remove it when already there). */
  toggle(business: DirectoryEntry): void {
    this.#message.set(null);
    if (this.isChosen(business.id)) {
      this.#chosen.update((list) => list.filter((b) => b.id !== business.id));
    } else if (!this.full()) {
      this.#chosen.update((list) => [...list, business]);
    }
  }

  async save(): Promise<void> {
    const businessId = this.#session.businessId();
    if (!businessId) {
      return;
    }
    this.#saving.set(true);
    this.#message.set(null);
    try {
      const saved = await this.#client.savePartners(
        businessId,
        this.#chosen().map((b) => b.id),
      );
      this.#partners.set(saved);
      this.#message.set({ kind: 'success', text: 'Partners saved.' });
    } catch (error) {
      this.#message.set({ kind: 'error', text: `Partners not saved. ${humanMessage(error)}` });
    } finally {
      this.#saving.set(false);
    }
  }

  reloadCapabilities(): void {
    this.#capabilities.reload();
  }

  reloadPartners(): void {
    this.#partners.reload();
  }
}
