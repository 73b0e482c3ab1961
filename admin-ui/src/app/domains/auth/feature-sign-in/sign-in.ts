/**
 * The sign-in page, for owners and staff alike (each with their own e-mail and password). A
 * wrong email or password is a message on the form; a 422 lands on its field; after signing in
 * the person goes back to the page they wanted (`returnUrl`), else to the till.
 */
import { Component, inject, input, signal } from '@angular/core';
import { form, required } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';

import { HOME_PATH } from '../../../core/auth/auth-guard';
import { AuthStore } from '../../../core/auth/auth-store';
import { Alert } from '../../shared/ui/alert';
import { EmailField, FORM_PARTS, PasswordField } from '../../shared/ui/form-fields';
import { rule, SubmitResult, submitOrExplain } from '../../shared/util/form-rules';
import { emailProblem } from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

@Component({
  selector: 'adm-sign-in',
  imports: [AuthFrame, Alert, EmailField, PasswordField, RouterLink, FORM_PARTS],
  template: `
    <adm-auth-frame title="Sign in" subtitle="Award and redeem points for your customers.">
      @if (expired() && !problem()) {
        <adm-alert kind="info" class="mb-4"
          >Your session has ended. Please sign in again.</adm-alert
        >
      }
      <form [formRoot]="signInForm" class="space-y-4">
        <adm-email-field [field]="signInForm.email" autocomplete="username" />
        <adm-password-field [field]="signInForm.password" />
        <adm-form-footer [problem]="problem()" label="Sign in" busyLabel="Signing in…" block />
      </form>
      <p class="mt-4 text-center text-sm">
        <a routerLink="/forgot-password" class="font-semibold text-brand-700 hover:underline"
          >Forgot your password?</a
        >
      </p>
      <p class="mt-6 text-center text-sm text-muted">
        New to Mubayiro?
        <a routerLink="/register" class="font-semibold text-brand-700 hover:underline"
          >Create a business account</a
        >
      </p>
    </adm-auth-frame>
  `,
})
export class SignIn {
  readonly #auth = inject(AuthStore);
  readonly #client = inject(AuthClient);
  readonly #router = inject(Router);

  /** Query parameters (router input binding). */
  readonly returnUrl = input<string>();
  readonly expired = input<string>();

  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({ email: '', password: '' });
  protected readonly signInForm = form(
    this.#model,
    (path) => {
      rule(path.email, emailProblem);
      required(path.password, { message: 'Enter your password.' });
    },
    { submission: { action: () => this.signIn() } },
  );

  private async signIn(): Promise<SubmitResult> {
    const { email, password } = this.#model();
    return submitOrExplain(
      this.problem,
      async () => {
        this.#auth.signIn(await this.#client.login(email, password));
        await this.#router.navigateByUrl(this.safeReturnUrl());
      },
      {
        email: this.signInForm.email,
        password: this.signInForm.password,
        username: this.signInForm.email,
      },
      {
        overrides: { 401: 'Wrong email or password.' },
        messages: {
          email: 'Enter a valid email address, e.g. owner@example.com.',
          username: 'Enter a valid email address, e.g. owner@example.com.',
          password: 'Enter your password.',
        },
      },
    );
  }

  /** Only in-app paths: never an absolute URL from the query string (open redirect). */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login')
      ? url
      : HOME_PATH;
  }
}
