/**
 * The sign-in page, for owners and staff alike (each with their own e-mail and password). A
 * wrong email or password is a message on the form; a 422 lands on its field; after signing in
 * the person goes back to the page they wanted (`returnUrl`), else to the till.
 */
import { Component, inject, input, signal } from '@angular/core';
import { FormField, FormRoot, form, required } from '@angular/forms/signals';
import { Router, RouterLink } from '@angular/router';

import { HOME_PATH } from '../../../core/auth/auth-guard';
import { AuthStore } from '../../../core/auth/auth-store';
import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { mapServerErrors, rule } from '../../shared/util/form-rules';
import { emailProblem } from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

@Component({
  selector: 'adm-sign-in',
  imports: [AuthFrame, Alert, Button, Field, Input, FormField, FormRoot, RouterLink],
  template: `
    <adm-auth-frame title="Sign in" subtitle="Award and redeem points for your customers.">
      @if (expired() && !problem()) {
        <adm-alert kind="info" class="mb-4"
          >Your session has ended. Please sign in again.</adm-alert
        >
      }
      <form [formRoot]="signInForm" class="space-y-4">
        <adm-field label="Email" [field]="signInForm.email">
          <input
            admInput
            type="email"
            autocomplete="username"
            inputmode="email"
            [formField]="signInForm.email"
          />
        </adm-field>
        <adm-field label="Password" [field]="signInForm.password">
          <input
            admInput
            type="password"
            autocomplete="current-password"
            [formField]="signInForm.password"
          />
        </adm-field>
        @if (problem(); as problem) {
          <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
        }
        <button admButton type="submit" [block]="true" [disabled]="signInForm().submitting()">
          {{ signInForm().submitting() ? 'Signing in…' : 'Sign in' }}
        </button>
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

  private async signIn() {
    this.problem.set(null);
    const { email, password } = this.#model();
    try {
      this.#auth.signIn(await this.#client.login(email, password));
      await this.#router.navigateByUrl(this.safeReturnUrl());
      return undefined;
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status === 401) {
        this.problem.set('Wrong email or password.');
        return undefined;
      }
      const mapped = mapServerErrors(
        apiError,
        {
          email: this.signInForm.email,
          password: this.signInForm.password,
          username: this.signInForm.email,
        },
        {
          messages: {
            email: 'Enter a valid email address, e.g. owner@example.com.',
            username: 'Enter a valid email address, e.g. owner@example.com.',
            password: 'Enter your password.',
          },
        },
      );
      this.problem.set(mapped.formMessage);
      return mapped.fieldErrors;
    }
  }

  /** Only in-app paths: never an absolute URL from the query string (open redirect). */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login')
      ? url
      : HOME_PATH;
  }
}
