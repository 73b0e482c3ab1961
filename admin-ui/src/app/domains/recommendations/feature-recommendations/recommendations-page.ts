/**
 * AI recommendations: what the engine can suggest to customers, and which businesses this one
 * cross-promotes with (the engine may suggest a partner's offers to your customers, and yours
 * to theirs).
 */
import { Component, computed, inject, linkedSignal, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { MAX_PARTNERS, RecommendationsClient } from '../data/recommendations-client';

@Component({
  selector: 'adm-recommendations-page',
  imports: [Alert, Button, Card, Empty, LoadError, Loading, PageHeader],
  template: `
    <adm-page-header
      title="AI recommendations"
      subtitle="What the assistant suggests to your customers, and who you promote with."
    />

    <div class="grid grid-cols-1 gap-4 lg:grid-cols-2 lg:gap-6">
      <adm-card heading="What the engine can recommend">
        @if (capabilities.isLoading() && !capabilities.hasValue()) {
          <adm-loading />
        } @else if (capabilities.error(); as error) {
          <adm-load-error [message]="errorText(error)" (retry)="capabilities.reload()" />
        } @else if (capabilities.hasValue() && capabilities.value().rules.length === 0) {
          <adm-empty title="No recommendation rules yet" />
        } @else if (capabilities.hasValue()) {
          <ol class="space-y-4" data-testid="capabilities">
            @for (capability of capabilities.value().rules; track capability.rule) {
              <li>
                <h3 class="font-semibold text-ink">{{ capability.title }}</h3>
                <p class="mt-0.5 text-sm text-muted">{{ capability.description }}</p>
                @if (capability.parameters.length > 0) {
                  <ul class="mt-2 flex flex-wrap gap-1.5" aria-label="Settings">
                    @for (parameter of capability.parameters; track parameter.name) {
                      <li class="rounded-full bg-canvas px-2.5 py-0.5 text-xs text-muted">
                        {{ label(parameter.name) }}: {{ parameter.value }}
                      </li>
                    }
                  </ul>
                }
              </li>
            }
          </ol>
          <p class="mt-5 border-t border-line/70 pt-3 text-sm text-muted">
            <span class="font-medium text-ink"
              >Up to {{ capabilities.value().maxRecommendations }} suggestions per customer.</span
            >
            How they are ranked: {{ capabilities.value().ranking }}
          </p>
        }
      </adm-card>

      <adm-card heading="Cross-promotion partners">
        <p class="mb-3 text-sm text-muted">
          Partners' offers may be recommended to your customers, and yours to theirs.
        </p>
        @if (
          (directory.isLoading() && !directory.hasValue()) ||
          (partners.isLoading() && !partners.hasValue())
        ) {
          <adm-loading />
        } @else if (directory.error() || partners.error()) {
          <adm-load-error
            [message]="errorText(directory.error() ?? partners.error())"
            (retry)="reloadPartners()"
          />
        } @else {
          <label class="mb-3 block">
            <span class="sr-only">Filter businesses</span>
            <input
              type="search"
              placeholder="Filter businesses"
              class="block min-h-11 w-full rounded-lg border border-line bg-surface px-3"
              [value]="filter()"
              (input)="filter.set($any($event.target).value)"
            />
          </label>
          @if (candidates().length === 0) {
            <adm-empty [title]="filter() ? 'No business matches' : 'No other businesses yet'" />
          } @else {
            <ul
              class="max-h-80 divide-y divide-line/70 overflow-y-auto rounded-lg border border-line/70"
            >
              @for (business of candidates(); track business.id) {
                <li>
                  <label class="flex min-h-11 cursor-pointer items-center gap-3 px-3 py-2 text-sm">
                    <input
                      type="checkbox"
                      class="size-5 shrink-0 accent-brand-700"
                      [checked]="selected().has(business.id)"
                      [disabled]="!selected().has(business.id) && selected().size >= maxPartners"
                      (change)="toggle(business.id)"
                    />
                    <span class="min-w-0 break-words">{{ business.name }}</span>
                  </label>
                </li>
              }
            </ul>
          }
          @if (saveProblem(); as problem) {
            <adm-alert kind="error" class="mt-3">{{ problem }}</adm-alert>
          }
          @if (saved()) {
            <adm-alert kind="success" class="mt-3">Partners saved.</adm-alert>
          }
          <div class="mt-4 flex flex-wrap items-center gap-3">
            <button
              admButton
              type="button"
              class="shrink-0"
              [disabled]="saving()"
              (click)="savePartners()"
            >
              {{ saving() ? 'Saving…' : 'Save partners' }}
            </button>
            <span class="text-sm text-muted" data-testid="partner-count"
              >{{ selected().size }} of at most {{ maxPartners }} selected</span
            >
          </div>
        }
      </adm-card>
    </div>
  `,
})
export class RecommendationsPage {
  readonly #session = inject(Session);
  readonly #client = inject(RecommendationsClient);

  protected readonly filter = signal('');
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);
  protected readonly saveProblem = signal<string | null>(null);

  protected readonly capabilities = resource({ loader: () => this.#client.capabilities() });

  protected readonly directory = resource({ loader: () => this.#client.directory() });

  protected readonly partners = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#client.partners(params),
  });

  protected readonly maxPartners = MAX_PARTNERS;

  /** The partner ids as edited (starts from the saved ones). */
  protected readonly selected = linkedSignal<ReadonlySet<number>>(
    () => new Set(this.partners.hasValue() ? this.partners.value().partnerIds : []),
  );

  /** The directory, plus saved partners it did not list (it shows 200 at most). */
  protected readonly candidates = computed(() => {
    const own = this.#session.businessId();
    const needle = this.filter().trim().toLowerCase();
    const listed = this.directory.hasValue() ? this.directory.value() : [];
    const saved = this.partners.hasValue() ? this.partners.value().partners : [];
    const extra = saved.filter((p) => !listed.some((b) => b.id === p.id));
    return [...listed, ...extra].filter(
      (b) => b.id !== own && (!needle || b.name.toLowerCase().includes(needle)),
    );
  });

  protected toggle(id: number): void {
    this.saved.set(false);
    this.selected.update((current) => {
      const next = new Set(current);
      if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });
  }

  protected async savePartners(): Promise<void> {
    const businessId = this.#session.businessId();
    if (!businessId) {
      return;
    }
    this.saving.set(true);
    this.saveProblem.set(null);
    this.saved.set(false);
    try {
      this.partners.set(await this.#client.savePartners(businessId, [...this.selected()]));
      this.saved.set(true);
    } catch (error) {
      this.saveProblem.set(toApiError(error).detail);
    } finally {
      this.saving.set(false);
    }
  }

  protected reloadPartners(): void {
    this.directory.reload();
    this.partners.reload();
  }

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }

  /** `inactive_days` → `Inactive days`. */
  protected label(name: string): string {
    const words = name.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
}
