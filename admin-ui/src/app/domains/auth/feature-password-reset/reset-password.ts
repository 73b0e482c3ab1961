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
import { form, validate } from '@angular/forms/signals';
import { ActivatedRoute, RouterLink } from '@angular/router';

import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { FORM_PARTS, NewPasswordField } from '../../shared/ui/form-fields';
import { rule, SubmitResult, submitOrExplain } from '../../shared/util/form-rules';
import { passwordProblem } from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

/** What a used, expired or unknown link (400, 401, 403, 404, 410) is told. */
const LINK_REFUSED = 'This reset link has expired or was already used.';

@Component({
  selector: 'adm-reset-password',
  imports: [AuthFrame, Alert, Button, NewPasswordField, RouterLink, FORM_PARTS],
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
          <adm-new-password-field [field]="resetForm.password" label="New password" />
          <adm-new-password-field [field]="resetForm.repeat" label="Type it again" hint="" />
          <adm-form-footer
            [problem]="problem()"
            label="Save new password"
            busyLabel="Saving…"
            block
          >
            @if (linkExpired()) {
              <a admButton="secondary" routerLink="/forgot-password" [block]="true"
                >Send a new link</a
              >
            }
          </adm-form-footer>
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
  /** The link was refused (used, expired or unknown): offer a new one. */
  protected readonly linkExpired = computed(() => this.problem() === LINK_REFUSED);

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

  private async savePassword(): Promise<SubmitResult> {
    return submitOrExplain(
      this.problem,
      async () => {
        await this.#client.confirmPasswordReset(this.resetToken(), this.#model().password);
        this.done.set(true);
      },
      {},
      {
        overrides: {
          400: LINK_REFUSED,
          401: LINK_REFUSED,
          403: LINK_REFUSED,
          404: LINK_REFUSED,
          410: LINK_REFUSED,
          422: 'Choose a password of 8 to 128 characters with a letter and a digit.',
        },
      },
    );
  }
}
