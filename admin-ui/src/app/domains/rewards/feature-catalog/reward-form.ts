/**
 * Create or edit a reward: name, description, cost in points and whether customers can see it.
 */
import { Component, OnInit, inject, input, output, signal } from '@angular/core';
import { form } from '@angular/forms/signals';

import { Button } from '../../shared/ui/button';
import { FORM_PARTS } from '../../shared/ui/form-fields';
import { SubmitResult, rule, submitOrExplain } from '../../shared/util/form-rules';
import { nameProblem, pointsProblem, textProblem } from '../../shared/util/validators';
import { Reward } from '../../shared/data/rewards-catalog';
import { RewardDraft, RewardsClient } from '../data/rewards-client';

@Component({
  selector: 'adm-reward-form',
  host: { class: 'block' },
  imports: [Button, FORM_PARTS],
  template: `
    <form [formRoot]="rewardForm" class="space-y-4">
      <div class="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <adm-field label="Name" [field]="rewardForm.name" class="sm:col-span-2">
          <input
            admInput
            autocomplete="off"
            placeholder="Free coffee"
            [formField]="rewardForm.name"
          />
        </adm-field>
        <adm-field label="Cost in points" [field]="rewardForm.pointsCost">
          <input
            admInput
            inputmode="numeric"
            autocomplete="off"
            [formField]="rewardForm.pointsCost"
          />
        </adm-field>
      </div>
      <adm-field label="Description (optional)" [field]="rewardForm.description">
        <textarea admInput rows="2" class="py-2" [formField]="rewardForm.description"></textarea>
      </adm-field>
      <label class="flex items-center gap-2 text-sm">
        <input type="checkbox" class="size-5 accent-brand-700" [formField]="rewardForm.active" />
        Active (customers can redeem it)
      </label>
      <adm-form-footer [problem]="problem()" [label]="reward() ? 'Save changes' : 'Add reward'">
        <button admButton="ghost" type="button" (click)="cancelled.emit()">Cancel</button>
      </adm-form-footer>
    </form>
  `,
})
export class RewardForm implements OnInit {
  readonly #client = inject(RewardsClient);

  readonly businessId = input.required<number>();
  /** The reward to edit; absent to create one. */
  readonly reward = input<Reward | null>(null);
  readonly saved = output<Reward>();
  readonly cancelled = output<void>();

  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({ name: '', description: '', pointsCost: '', active: true });
  protected readonly rewardForm = form(
    this.#model,
    (path) => {
      rule(path.name, (v) => nameProblem(v, 'a name'));
      rule(path.description, (v) => textProblem(v, 500, 'a description', false));
      rule(path.pointsCost, pointsProblem);
    },
    { submission: { action: () => this.save() } },
  );

  ngOnInit(): void {
    const reward = this.reward();
    if (reward) {
      this.#model.set({
        name: reward.name,
        description: reward.description,
        pointsCost: String(reward.pointsCost),
        active: reward.active,
      });
    }
  }

  private async save(): Promise<SubmitResult> {
    const value = this.#model();
    const draft: RewardDraft = {
      name: value.name,
      description: value.description,
      pointsCost: Number(value.pointsCost.trim()),
      active: value.active,
    };
    const existing = this.reward();
    return submitOrExplain(
      this.problem,
      async () =>
        this.saved.emit(
          existing
            ? await this.#client.update(this.businessId(), existing.id, draft)
            : await this.#client.create(this.businessId(), draft),
        ),
      {
        name: this.rewardForm.name,
        description: this.rewardForm.description,
        points_cost: this.rewardForm.pointsCost,
        active: this.rewardForm.active,
      },
      {
        conflictField: 'name',
        conflictMessage: 'Your catalog already has a reward with this name.',
        messages: {
          name: 'Enter a name of at most 120 characters.',
          description: 'Use fewer characters for the description.',
          points_cost: 'Enter a whole number of points from 1 to 10,000,000.',
        },
      },
    );
  }
}
