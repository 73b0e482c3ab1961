/**
 * Staff (owner only): everyone who can sign in for the business, each with their own e-mail
 * and password, as an owner (everything) or a cashier (the till, customers and referrals).
 * Add a member with a first password to hand over; remove one with a second tap.
 */
import { Component, inject, signal } from '@angular/core';
import { form } from '@angular/forms/signals';

import { AuthStore } from '../../../core/auth/auth-store';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { EmailField, FORM_PARTS, NewPasswordField } from '../../shared/ui/form-fields';
import { PageHeader } from '../../shared/ui/page-header';
import { LIST_STATES } from '../../shared/ui/states';
import { SubmitResult, rule, submitOrExplain } from '../../shared/util/form-rules';
import { emailProblem, nameProblem, passwordProblem } from '../../shared/util/validators';
import { StaffStore } from './staff-store';

const ROLE_TEXT = {
  owner: 'Owner: everything, including rates, rewards, reports and staff',
  cashier: 'Cashier: the till, customers and referrals',
} as const;

@Component({
  selector: 'adm-staff-page',
  providers: [StaffStore],
  imports: [Alert, Button, Card, EmailField, PageHeader, NewPasswordField, LIST_STATES, FORM_PARTS],
  template: `
    <adm-page-header
      title="Staff"
      subtitle="Everyone signs in as themselves, so every sale shows who made it."
    />

    @if (store.unsupported()) {
      <adm-card>
        <adm-empty
          title="Staff accounts are not available yet"
          hint="This server does not offer staff accounts yet. Everyone signs in with the owner's account until it does."
        />
      </adm-card>
    } @else {
      <div class="grid grid-cols-1 gap-4 lg:grid-cols-2 lg:gap-6">
        <adm-card heading="People who can sign in">
          @if (store.message(); as message) {
            <adm-alert [kind]="message.kind" class="mb-3" data-testid="staff-message">{{
              message.text
            }}</adm-alert>
          }
          @if (store.staff.isLoading() && !store.staff.hasValue()) {
            <adm-loading />
          } @else if (store.staff.error(); as error) {
            <adm-load-error [message]="error | humanMessage" (retry)="store.reload()" />
          } @else if (store.staff.hasValue() && store.staff.value().length === 0) {
            <adm-empty
              title="Only you so far"
              hint="Add a cashier so they sign in as themselves."
            />
          } @else if (store.staff.hasValue()) {
            <ul class="divide-y divide-line/70">
              @for (member of store.staff.value(); track member.id) {
                <li class="py-3" data-testid="staff-member">
                  <div class="flex items-center justify-between gap-3">
                    <div class="min-w-0">
                      <p class="truncate text-sm font-semibold text-ink">{{ member.name }}</p>
                      <p class="truncate text-sm text-muted">{{ member.email }}</p>
                      <p class="mt-1 text-xs font-medium text-muted">
                        {{ member.role === 'owner' ? 'Owner' : 'Cashier'
                        }}{{ isMe(member.id) ? ' · you' : '' }}
                      </p>
                    </div>
                    @if (store.confirming() !== member.id && !isMe(member.id)) {
                      <button
                        admButton="secondary"
                        type="button"
                        class="shrink-0"
                        [attr.aria-label]="'Remove ' + member.name"
                        (click)="store.askToRemove(member)"
                      >
                        Remove
                      </button>
                    }
                  </div>
                  @if (store.confirming() === member.id) {
                    <div class="mt-2 flex flex-wrap items-center gap-2" role="group">
                      <span class="text-sm text-ink">Remove {{ member.name }}?</span>
                      <button
                        admButton="danger"
                        type="button"
                        [disabled]="store.removing()"
                        (click)="store.remove(member)"
                      >
                        Yes, remove
                      </button>
                      <button admButton="ghost" type="button" (click)="store.cancelRemove()">
                        Keep
                      </button>
                    </div>
                  }
                </li>
              }
            </ul>
          }
        </adm-card>

        <adm-card heading="Add someone">
          <form [formRoot]="staffForm" class="space-y-4">
            <adm-field label="Name" [field]="staffForm.name">
              <input admInput autocomplete="off" [formField]="staffForm.name" />
            </adm-field>
            <adm-email-field [field]="staffForm.email" autocomplete="off" />
            <adm-new-password-field
              [field]="staffForm.password"
              label="First password"
              hint="At least 8 characters, with a letter and a digit. Hand it over; they can change it with “Forgot your password?”."
            />
            <fieldset>
              <legend class="mb-1 text-sm font-medium text-ink">Role</legend>
              @for (role of roles; track role) {
                <label class="flex min-h-11 items-center gap-3 text-sm">
                  <input
                    type="radio"
                    name="staff-role"
                    class="size-5 accent-brand-700"
                    [value]="role"
                    [checked]="role === chosenRole()"
                    (change)="chosenRole.set(role)"
                  />
                  {{ roleText[role] }}
                </label>
              }
            </fieldset>
            <adm-form-footer [problem]="problem()" label="Add to staff" busyLabel="Adding…" />
          </form>
        </adm-card>
      </div>
    }
  `,
})
export class StaffPage {
  protected readonly store = inject(StaffStore);
  readonly #auth = inject(AuthStore);

  protected readonly roles = ['cashier', 'owner'] as const;
  protected readonly roleText = ROLE_TEXT;
  protected readonly chosenRole = signal<'cashier' | 'owner'>('cashier');
  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({ name: '', email: '', password: '' });
  protected readonly staffForm = form(
    this.#model,
    (path) => {
      rule(path.name, (v) => nameProblem(v, 'their name'));
      rule(path.email, emailProblem);
      rule(path.password, passwordProblem);
    },
    { submission: { action: () => this.addMember() } },
  );

  /** The signed-in person (who cannot remove themselves here). */
  protected isMe(id: number): boolean {
    return this.#auth.claims().staff_id === id;
  }

  private async addMember(): Promise<SubmitResult> {
    return submitOrExplain(
      this.problem,
      async () => {
        await this.store.add({ ...this.#model(), role: this.chosenRole() });
        this.#model.set({ name: '', email: '', password: '' });
        this.staffForm().reset();
        this.chosenRole.set('cashier');
      },
      {
        name: this.staffForm.name,
        email: this.staffForm.email,
        password: this.staffForm.password,
      },
      {
        conflictField: 'email',
        conflictMessage: 'Someone already signs in with this e-mail address.',
        messages: {
          name: 'Enter their name (at most 120 characters).',
          email: 'Enter a valid e-mail address.',
          password: 'Use 8 to 128 characters with a letter and a digit.',
        },
        notDone: 'Not added.',
      },
    );
  }
}
