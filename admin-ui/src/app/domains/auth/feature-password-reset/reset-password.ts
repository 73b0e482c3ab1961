/**
 * The page the e-mailed reset link opens: choose a new password
 * (`POST /auth/password_reset/confirm {token, password}`), then sign in with it. A used or
 * expired link says so and offers a new one.
 *
 * The token may come in the fragment (`/admin/reset-password#token=…`, what the auth
 * service sends: a fragment never reaches a server log or a Referer header) or in the query
 * (`/admin/reset?token=…`).
 */
import { Component, computed, inject, input, signal } from '@angular/core';
import { FormField, FormRoot, form, validate } from '@angular/forms/signals';
import { ActivatedRoute, RouterLink } from '@angular/router';

import { toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { humanMessage } from '../../shared/util/messages';
import { rule } from '../../shared/util/form-rules';
import { passwordProblem } from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

@Component({
  selector: 'adm-reset-password',
  imports: [AuthFrame, Alert, Button, Field, Input, FormField, FormRoot, RouterLink],
  template: `
    <adm-auth-frame title="Choose a new password">
      @if (done()) {
        <adm-alert kind="success" data-testid="reset-done"
          >Your password has been changed. Sign in with the new one.</adm-alert
        >
        <a admButton routerLink="/login" class="mt-4" [block]="true">Sign in</a>
      } @else if (!resetToken()) {
        <adm-alert kind="error"
          >This link is incomplete. Open the link from the e-mail again, or ask for a new
          one.</adm-alert
        >
        <a admButton="secondary" routerLink="/forgot-password" class="mt-4" [block]="true"
          >Send a new link</a
        >
      } @else {
        <form [formRoot]="resetForm" class="space-y-4">
          <adm-field
            label="New password"
            [field]="resetForm.password"
            hint="At least 8 characters, with a letter and a digit."
          >
            <input
              admInput
              type="password"
              autocomplete="new-password"
              [formField]="resetForm.password"
            />
          </adm-field>
          <adm-field label="Type it again" [field]="resetForm.repeat">
            <input
              admInput
              type="password"
              autocomplete="new-password"
              [formField]="resetForm.repeat"
            />
          </adm-field>
          @if (problem(); as problem) {
            <adm-alert kind="error" data-testid="form-error">{{ problem }}</adm-alert>
            @if (linkExpired()) {
              <a admButton="secondary" routerLink="/forgot-password" [block]="true"
                >Send a new link</a
              >
            }
          }
          <button admButton type="submit" [block]="true" [disabled]="resetForm().submitting()">
            {{ resetForm().submitting() ? 'Saving…' : 'Save new password' }}
          </button>
        </form>
      }
    </adm-auth-frame>
  `,
})
export class ResetPassword {
  readonly #client = inject(AuthClient);

  /** `?token=` from the e-mailed link (router input binding). */
  readonly token = input<string>();
  readonly #fragmentToken =
    new URLSearchParams(inject(ActivatedRoute).snapshot.fragment ?? '').get('token') ?? '';
  /** The reset token, from the query or the fragment. */
  protected readonly resetToken = computed(() => this.token() || this.#fragmentToken);

  protected readonly problem = signal<string | null>(null);
  protected readonly done = signal(false);
  readonly #status = signal<number | null>(null);
  /** The link was refused (used, expired or unknown): offer a new one. */
  protected readonly linkExpired = computed(() => {
    const status = this.#status();
    return status !== null && [400, 401, 403, 404, 410].includes(status);
  });

  readonly #model = signal({ password: '', repeat: '' });
  protected readonly resetForm = form(
    this.#model,
    (path) => {
      rule(path.password, passwordProblem);
      validate(path.repeat, ({ value, valueOf }) =>
        value() === valueOf(path.password)
          ? null
          : { kind: 'rule', message: 'The two passwords are different.' },
      );
    },
    { submission: { action: () => this.savePassword() } },
  );

  private async savePassword() {
    this.problem.set(null);
    this.#status.set(null);
    try {
      await this.#client.confirmPasswordReset(this.resetToken(), this.#model().password);
      this.done.set(true);
    } catch (error) {
      const apiError = toApiError(error);
      this.#status.set(apiError.status);
      this.problem.set(
        humanMessage(apiError, {
          400: 'This reset link has expired or was already used.',
          401: 'This reset link has expired or was already used.',
          403: 'This reset link has expired or was already used.',
          404: 'This reset link has expired or was already used.',
          410: 'This reset link has expired or was already used.',
          422: 'Choose a password of 8 to 128 characters with a letter and a digit.',
        }),
      );
    }
    return undefined;
  }
}
