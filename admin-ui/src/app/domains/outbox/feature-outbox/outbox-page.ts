/**
 * The SMS outbox (development only): the texts the console provider would have sent, newest
 * first, filterable by phone number — handy for demos and for reading customers' OTP codes.
 */
import { DatePipe } from '@angular/common';
import { Component, inject, resource, signal } from '@angular/core';
import { FormRoot, form, validate } from '@angular/forms/signals';

import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PhoneField } from '../../shared/ui/form-fields';
import { Icon } from '../../shared/ui/icon';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe } from '../../shared/ui/pipes';
import { LIST_STATES } from '../../shared/ui/states';
import { cleanPhone, phoneProblem } from '../../shared/util/phone';
import { OutboxClient } from '../data/outbox-client';

@Component({
  selector: 'adm-outbox-page',
  imports: [Button, Card, DatePipe, FormRoot, Icon, PageHeader, PhoneField, PhonePipe, LIST_STATES],
  template: `
    <adm-page-header
      title="SMS outbox"
      subtitle="Development only: messages the console SMS provider would have sent."
    >
      <button admButton="secondary" type="button" (click)="messages.reload()">
        <adm-icon name="refresh" class="size-4" /> Refresh
      </button>
    </adm-page-header>

    <adm-card class="mb-4">
      <form
        [formRoot]="filterForm"
        class="flex flex-col gap-3 sm:flex-row sm:items-start"
        role="search"
      >
        <adm-phone-field
          [field]="filterForm.phone"
          label="Filter by phone"
          placeholder="All numbers"
          [autocomplete]="null"
          class="flex-1"
        />
        <div class="flex gap-2 sm:mt-6">
          <button admButton type="submit">Filter</button>
          @if (to()) {
            <button admButton="ghost" type="button" (click)="clearFilter()">Clear</button>
          }
        </div>
      </form>
    </adm-card>

    <adm-card>
      @if (messages.isLoading() && !messages.hasValue()) {
        <adm-loading label="Loading messages…" />
      } @else if (messages.error(); as error) {
        <adm-load-error [message]="error | humanMessage" (retry)="messages.reload()" />
      } @else if (messages.hasValue() && messages.value().length === 0) {
        <adm-empty [title]="to() ? 'No messages to this number' : 'No messages yet'" />
      } @else if (messages.hasValue()) {
        <ul class="divide-y divide-line/70">
          @for (message of messages.value(); track message.id) {
            <li class="py-3">
              <div class="flex flex-wrap items-center justify-between gap-2 text-sm">
                <span class="font-semibold text-ink">{{ message.to | phone }}</span>
                <span class="text-muted">
                  <span
                    class="mr-2 rounded-full px-2 py-0.5 text-xs font-semibold"
                    [class.bg-success-soft]="message.status === 'sent'"
                    [class.text-success]="message.status === 'sent'"
                    [class.bg-danger-soft]="message.status === 'failed'"
                    [class.text-danger]="message.status === 'failed'"
                    [class.bg-canvas]="message.status !== 'sent' && message.status !== 'failed'"
                    >{{ message.status }}</span
                  >
                  {{ message.createdAt | date: 'd MMM y, HH:mm:ss' }}
                </span>
              </div>
              <p
                class="mt-1 whitespace-pre-wrap break-words text-sm text-ink"
                data-testid="sms-body"
              >
                {{ message.body }}
              </p>
            </li>
          }
        </ul>
      }
    </adm-card>
  `,
})
export class OutboxPage {
  readonly #client = inject(OutboxClient);

  /** The recipient filter in effect (cleaned), or '' for all. */
  protected readonly to = signal('');

  readonly #model = signal({ phone: '' });
  protected readonly filterForm = form(
    this.#model,
    (path) =>
      validate(path.phone, ({ value }) => {
        const message = value().trim() === '' ? null : phoneProblem(value());
        return message ? { kind: 'rule', message } : null;
      }),
    {
      submission: {
        action: async () => {
          this.to.set(cleanPhone(this.#model().phone));
          return undefined;
        },
      },
    },
  );

  protected readonly messages = resource({
    params: () => ({ to: this.to() }),
    loader: ({ params }) => this.#client.list({ to: params.to || undefined }),
  });

  protected clearFilter(): void {
    this.#model.set({ phone: '' });
    this.filterForm().reset();
    this.to.set('');
  }
}
