/**
 * "Forgot your password?": asks the auth service to e-mail a reset link
 * (`POST /auth/password_reset/request`). The answer is the same whether or not the address
 * has an account (nobody learns who is registered), and so is the page's message.
 */
import { Component, inject, signal } from '@angular/core';
import { form } from '@angular/forms/signals';
import { RouterLink } from '@angular/router';

import { Alert } from '../../shared/ui/alert';
import { EmailField, FORM_PARTS } from '../../shared/ui/form-fields';
import { rule, SubmitResult, submitOrExplain } from '../../shared/util/form-rules';
import { emailProblem } from '../../shared/util/validators';
import { AuthClient } from '../data/auth-client';
import { AuthFrame } from '../ui/auth-frame';

@Component({
  selector: 'adm-forgot-password',
  imports: [AuthFrame, Alert, EmailField, RouterLink, FORM_PARTS],
  template: `
    <adm-auth-frame
      title="Reset your password"
      subtitle="We'll e-mail you a link to choose a new one."
    >
      @if (sentTo(); as email) {
        <adm-alert kind="success" data-testid="reset-sent">
          If {{ email }} has an account, a reset link is on its way. It works for a limited time;
          check your spam folder too.
        </adm-alert>
      } @else {
        <form [formRoot]="requestForm" class="space-y-4">
          <adm-email-field [field]="requestForm.email" autocomplete="username" />
          <adm-form-footer
            [problem]="problem()"
            label="Send reset link"
            busyLabel="Sending…"
            block
          />
        </form>
      }
      <p class="mt-6 text-center text-sm text-muted">
        Remembered it?
        <a routerLink="/login" class="font-semibold text-brand-700 hover:underline">Sign in</a>
      </p>
    </adm-auth-frame>
  `,
})
export class ForgotPassword {
  readonly #client = inject(AuthClient);

  protected readonly problem = signal<string | null>(null);
  protected readonly sentTo = signal<string | null>(null);

  readonly #model = signal({ email: '' });
  protected readonly requestForm = form(this.#model, (path) => rule(path.email, emailProblem), {
    submission: { action: () => this.requestLink() },
  });

  private async requestLink(): Promise<SubmitResult> {
    const email = this.#model().email.trim();
    return submitOrExplain(
      this.problem,
      async () => {
        await this.#client.requestPasswordReset(email);
        this.sentTo.set(email);
      },
      {},
      {
        overrides: {
          404: 'Password reset is not available on this server yet. Ask your administrator.',
        },
      },
    );
  }
}
