/**
 * Recommendations: what the assistant may suggest to customers, in plain words, and which
 * shops this one promotes with (the assistant may tell your customers about a partner's shop,
 * and theirs about yours). Partners are found by typing part of a name; the chosen ones show
 * above the search with a button to remove each.
 */
import { Component, inject } from '@angular/core';

import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { Icon } from '../../shared/ui/icon';
import { PageHeader } from '../../shared/ui/page-header';
import { LIST_STATES } from '../../shared/ui/states';
import { RecommendationsStore } from './recommendations-store';

@Component({
  selector: 'adm-recommendations-page',
  providers: [RecommendationsStore],
  imports: [Alert, Button, Card, Icon, PageHeader, LIST_STATES],
  template: `
    <adm-page-header
      title="Recommendations"
      subtitle="What the assistant suggests to your customers, and the shops you promote with."
    />

    <div class="grid grid-cols-1 gap-4 lg:grid-cols-2 lg:gap-6">
      <adm-card heading="What customers may be told">
        @if (store.capabilities.isLoading() && !store.capabilities.hasValue()) {
          <adm-loading />
        } @else if (store.capabilities.error(); as error) {
          <adm-load-error [message]="error | humanMessage" (retry)="store.reloadCapabilities()" />
        } @else if (store.rules().length === 0) {
          <adm-empty title="No suggestions yet" />
        } @else {
          <ol class="space-y-4" data-testid="capabilities">
            @for (rule of store.rules(); track rule.rule) {
              <li>
                <h3 class="font-semibold text-ink">{{ rule.title }}</h3>
                <p class="mt-0.5 text-sm text-muted">{{ rule.text }}</p>
              </li>
            }
          </ol>
          <p class="mt-5 border-t border-line/70 pt-3 text-sm text-muted">{{ store.ranking() }}</p>
        }
      </adm-card>

      <adm-card heading="Partner shops">
        <p class="mb-3 text-sm text-muted">
          Your customers may hear about your partners' shops, and their customers about yours.
        </p>
        @if (store.partners.isLoading() && !store.partners.hasValue()) {
          <adm-loading />
        } @else if (store.partners.error(); as error) {
          <adm-load-error [message]="error | humanMessage" (retry)="store.reloadPartners()" />
        } @else {
          <h3 class="text-sm font-semibold text-ink" id="chosen-partners">
            Your partners ({{ store.chosen().length }} of at most {{ store.maxPartners }})
          </h3>
          @if (store.chosen().length === 0) {
            <p class="mt-1 text-sm text-muted">None yet. Find a shop below.</p>
          } @else {
            <ul class="mt-2 flex flex-wrap gap-2" aria-labelledby="chosen-partners">
              @for (partner of store.chosen(); track partner.id) {
                <li
                  class="flex items-center gap-1 rounded-full border border-line bg-brand-50 py-1 pr-1 pl-3 text-sm text-brand-900"
                >
                  {{ partner.name }}
                  <button
                    type="button"
                    class="grid size-8 place-items-center rounded-full hover:bg-brand-100"
                    [attr.aria-label]="'Remove ' + partner.name"
                    (click)="store.toggle(partner)"
                  >
                    <adm-icon name="close" class="size-4" />
                  </button>
                </li>
              }
            </ul>
          }

          <label class="mt-4 block" for="partner-search">
            <span class="mb-1 block text-sm font-medium text-ink">Find a shop</span>
          </label>
          <input
            id="partner-search"
            type="search"
            autocomplete="off"
            aria-describedby="partner-search-hint"
            class="block min-h-11 w-full rounded-lg border border-line bg-surface px-3"
            [value]="store.query()"
            (input)="search($event)"
          />
          <p id="partner-search-hint" class="mt-1 text-sm text-muted">
            Type part of the shop's name.
          </p>
          @if (store.query().trim()) {
            @if (store.matches.isLoading() && !store.matches.hasValue()) {
              <adm-loading label="Searching…" />
            } @else if (store.matches.error(); as error) {
              <adm-alert kind="error" class="mt-2">{{ error | humanMessage }}</adm-alert>
            } @else if (store.results().length === 0) {
              <p class="mt-2 text-sm text-muted" role="status">
                No shop matches “{{ store.query() }}”.
              </p>
            } @else {
              <ul
                class="mt-2 divide-y divide-line/70 rounded-lg border border-line/70"
                aria-label="Matching shops"
                data-testid="partner-results"
              >
                @for (business of store.results(); track business.id) {
                  <li class="flex min-h-11 items-center justify-between gap-3 px-3 py-1.5 text-sm">
                    <span class="min-w-0 break-words">{{ business.name }}</span>
                    <button
                      admButton="secondary"
                      type="button"
                      class="shrink-0"
                      [attr.aria-label]="
                        (store.isChosen(business.id) ? 'Remove ' : 'Add ') + business.name
                      "
                      [disabled]="!store.isChosen(business.id) && store.full()"
                      (click)="store.toggle(business)"
                    >
                      {{ store.isChosen(business.id) ? 'Remove' : 'Add' }}
                    </button>
                  </li>
                }
              </ul>
              @if (store.moreResults()) {
                <p class="mt-1 text-sm text-muted">More shops match: type more of the name.</p>
              }
            }
          }
          @if (store.message(); as message) {
            <adm-alert [kind]="message.kind" class="mt-3">{{ message.text }}</adm-alert>
          }
          <button
            admButton
            type="button"
            class="mt-4"
            [disabled]="store.saving()"
            (click)="store.save()"
          >
            {{ store.saving() ? 'Saving…' : 'Save partners' }}
          </button>
        }
      </adm-card>
    </div>
  `,
})
export class RecommendationsPage {
  protected readonly store = inject(RecommendationsStore);

  protected search(event: Event): void {
    this.store.search((event.target as HTMLInputElement).value);
  }
}
