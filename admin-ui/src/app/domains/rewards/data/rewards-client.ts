/**
 * Changing the business's rewards catalog on the loyalty service:
 * `POST /businesses/{id}/rewards` and `PATCH /businesses/{id}/rewards/{reward_id}` (only the
 * fields sent change); each answers the reward (wire shape in
 * `domains/shared/data/rewards-catalog.ts`, which also reads the catalog, as the customers
 * page needs it too). Deactivating (`PATCH {active: false}`) keeps a reward, and its history,
 * but hides it from customers and from the redeem form.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { Reward, RewardResponse, toReward } from '../../shared/data/rewards-catalog';

export interface RewardDraft {
  readonly name: string;
  readonly description: string;
  readonly pointsCost: number;
  readonly active: boolean;
}

function toBody(draft: Partial<RewardDraft>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (draft.name !== undefined) body['name'] = draft.name.trim();
  if (draft.description !== undefined) body['description'] = draft.description.trim();
  if (draft.pointsCost !== undefined) body['points_cost'] = draft.pointsCost;
  if (draft.active !== undefined) body['active'] = draft.active;
  return body;
}

@Service()
export class RewardsClient {
  readonly #http = inject(HttpClient);

  async create(businessId: number, draft: RewardDraft): Promise<Reward> {
    const raw = await apiCall(
      this.#http.post<RewardResponse>(`/businesses/${businessId}/rewards`, toBody(draft)),
    );
    return toReward(raw);
  }

  /** Change some fields of a reward. */
  async update(
    businessId: number,
    rewardId: number,
    changes: Partial<RewardDraft>,
  ): Promise<Reward> {
    const raw = await apiCall(
      this.#http.patch<RewardResponse>(
        `/businesses/${businessId}/rewards/${rewardId}`,
        toBody(changes),
      ),
    );
    return toReward(raw);
  }

  /** Hide a reward from customers and the redeem form (kept for history). */
  setActive(businessId: number, rewardId: number, active: boolean): Promise<Reward> {
    return this.update(businessId, rewardId, { active });
  }
}
