/**
 * The sign-up page: a business account (name, contact person, email, password and an optional
 * first loyalty rate). On success the owner is signed in straight away.
 */
import { Component, inject, signal } from '@angular/core';
import { form } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';

import { HOME_PATH } from '../../../core/auth/auth-guard';
import { AuthStore } from '../../../core/auth/auth-store';
import { EmailField, FORM_PARTS, NewPasswordField, RateField } from '../../shared/ui/form-fields';
import { rule, SubmitResult, submitOrExplain } from '../../shared/util/form-rules';
import {
  emailProblem,
  nameProblem,
  passwordProblem,
  rateProblem,
} from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

@Component({
  selector: 'adm-register',
  imports: [AuthFrame, EmailField, NewPasswordField, RateField, RouterLink, FORM_PARTS],
  template: `
    <adm-auth-frame
      title="Create your business account"
      subtitle="It takes a minute. You can change the loyalty rate later."
    >
      <form [formRoot]="registerForm" class="space-y-4">
        <adm-field label="Business name" [field]="registerForm.name">
          <input admInput autocomplete="organization" [formField]="registerForm.name" />
        </adm-field>
        <adm-field label="Contact person" [field]="registerForm.contactPerson">
          <input admInput autocomplete="name" [formField]="registerForm.contactPerson" />
        </adm-field>
        <adm-email-field [field]="registerForm.email" />
        <adm-new-password-field [field]="registerForm.password" />
        <adm-rate-field
          [field]="registerForm.loyaltyRate"
          label="Loyalty rate (optional)"
          hint="Points per 1 unit spent, e.g. 1 or 0.5. Leave empty for the default."
        />
        <adm-form-footer
          [problem]="problem()"
          label="Create account"
          busyLabel="Creating account…"
          block
        />
      </form>
      <p class="mt-6 text-center text-sm text-muted">
        Already registered?
        <a routerLink="/login" class="font-semibold text-brand-700 hover:underline">Sign in</a>
      </p>
    </adm-auth-frame>
  `,
})
export class Register {
  readonly #auth = inject(AuthStore);
  readonly #client = inject(AuthClient);
  readonly #router = inject(Router);

  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({
    name: '',
    contactPerson: '',
    email: '',
    password: '',
    loyaltyRate: '',
  });
  protected readonly registerForm = form(
    this.#model,
    (path) => {
      rule(path.name, (v) => nameProblem(v, 'the business name'));
      rule(path.contactPerson, (v) => nameProblem(v, 'a contact person'));
      rule(path.email, emailProblem);
      rule(path.password, passwordProblem);
      rule(path.loyaltyRate, (v) => (v.trim() === '' ? null : rateProblem(v)));
    },
    { submission: { action: () => this.register() } },
  );

  private async register(): Promise<SubmitResult> {
    const value = this.#model();
    const refused = await submitOrExplain(
      this.problem,
      () => this.#client.register(value),
      {
        name: this.registerForm.name,
        contact_person: this.registerForm.contactPerson,
        email: this.registerForm.email,
        password: this.registerForm.password,
        loyalty_rate: this.registerForm.loyaltyRate,
      },
      {
        conflictField: 'email',
        conflictMessage: 'This email is already registered. Sign in, or use another address.',
        messages: {
          name: 'Enter the business name (at most 120 characters).',
          contact_person: 'Enter a contact person (at most 120 characters).',
          email: 'Enter a valid email address, e.g. owner@example.com.',
          password: 'Use 8 to 128 characters, with a letter and a digit.',
          loyalty_rate: 'Enter a rate from 0 to 1000 with at most 4 decimal places.',
        },
      },
    );
    if (refused) {
      return refused;
    }
    try {
      this.#auth.signIn(await this.#client.login(value.email, value.password));
      await this.#router.navigateByUrl(HOME_PATH);
    } catch {
      // The account exists; only the automatic sign-in failed.
      await this.#router.navigate(['/login']);
    }
    return undefined;
  }
}
