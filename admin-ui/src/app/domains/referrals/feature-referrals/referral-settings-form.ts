/**
 * The shop's referral bonus: what completing a referral offers by default. The owner changes
 * it here; staff see it.
 */
import {
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { FormField, FormRoot, form } from '@angular/forms/signals';

import { Field } from '../../shared/ui/field';
import { FormFooter } from '../../shared/ui/form-footer';
import { Input } from '../../shared/ui/input';
import { formatPoints } from '../../shared/util/format';
import { SubmitResult, rule, submitOrExplain } from '../../shared/util/form-rules';
import { pointsProblem } from '../../shared/util/validators';
import { ReferralSettings, ReferralsClient } from '../data/referrals-client';

@Component({
  selector: 'adm-referral-settings-form',
  host: { class: 'block' },
  imports: [Field, FormField, FormFooter, FormRoot, Input],
  template: `
    <form [formRoot]="settingsForm" class="space-y-3" aria-label="Referral bonus">
      <adm-field
        label="Default bonus for a referral (points)"
        [field]="settingsForm.points"
        [hint]="hint()"
      >
        <input admInput inputmode="numeric" autocomplete="off" [formField]="settingsForm.points" />
      </adm-field>
      @if (saved()) {
        <p class="text-sm text-success" role="status">Saved.</p>
      }
      <adm-form-footer [problem]="problem()" label="Save bonus" busyLabel="Saving…" />
    </form>
  `,
})
export class ReferralSettingsForm {
  readonly #client = inject(ReferralsClient);

  readonly settings = input.required<ReferralSettings>();
  readonly changed = output<ReferralSettings>();

  protected readonly hint = computed(
    () =>
      `Filled in when you complete a referral; at most ${formatPoints(this.settings().maxBonusPoints)} points.`,
  );
  protected readonly problem = signal<string | null>(null);
  protected readonly saved = signal(false);

  readonly #model = signal({ points: '' });
  protected readonly settingsForm = form(this.#model, (path) => rule(path.points, pointsProblem), {
    submission: { action: () => this.save() },
  });

  constructor() {
    effect(() => {
      const points = this.settings().defaultBonusPoints;
      untracked(() => this.#model.set({ points: String(points) }));
    });
  }

  private save(): Promise<SubmitResult> {
    this.saved.set(false);
    return submitOrExplain(
      this.problem,
      async () => {
        const settings = await this.#client.saveSettings(Number(this.#model().points.trim()));
        this.saved.set(true);
        this.changed.emit(settings);
      },
      { default_bonus_points: this.settingsForm.points },
      {
        messages: { default_bonus_points: 'Enter a whole number of points from 1 to the maximum.' },
        overrides: { PointsAboveMaximum: 'That is more than one referral may pay.' },
      },
    );
  }
}
