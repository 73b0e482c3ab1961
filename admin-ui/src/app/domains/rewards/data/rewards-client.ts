/**
 * The business's rewards catalog on the loyalty service:
 * `GET|POST /businesses/{id}/rewards`, `PATCH /businesses/{id}/rewards/{reward_id}`.
 * A reward is `{id, name, description, points_cost, active}`; deactivating keeps it (and its
 * history) but hides it from customers and from the redeem form.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export interface Reward {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly pointsCost: number;
  readonly active: boolean;
}

export interface RewardDraft {
  readonly name: string;
  readonly description: string;
  readonly pointsCost: number;
  readonly active: boolean;
}

interface RewardResponse {
  id: number;
  name: string;
  description: string | null;
  points_cost: number;
  active: boolean;
}

function toReward(raw: RewardResponse): Reward {
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description ?? '',
    pointsCost: raw.points_cost,
    active: raw.active !== false,
  };
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

  /** Every reward of the catalog, active or not. */
  async list(businessId: number): Promise<Reward[]> {
    const raw = await apiCall(
      this.#http.get<RewardResponse[] | { rewards: RewardResponse[] }>(
        `/businesses/${businessId}/rewards`,
      ),
    );
    const rows = Array.isArray(raw) ? raw : (raw?.rewards ?? []);
    return rows.map(toReward);
  }

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
