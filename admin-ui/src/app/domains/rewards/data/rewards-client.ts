/**
 * The business's rewards catalog on the loyalty service: `GET /businesses/{id}/rewards`
 * (`[reward]`, cheapest first; active ones only unless `include_inactive=true`),
 * `POST /businesses/{id}/rewards` and `PATCH /businesses/{id}/rewards/{reward_id}` (only the
 * fields sent change). A reward on the wire is `{id, business_id, name, description (may be
 * ""), points_cost, active, created_at, updated_at}`. Deactivating (`PATCH {active: false}`)
 * keeps it, and its history, but hides it from customers and from the redeem form.
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

/** The wire shape of a reward. */
export interface RewardResponse {
  id: number;
  business_id: number;
  name: string;
  description: string;
  points_cost: number;
  active: boolean;
  created_at: string;
  updated_at: string;
}

function toReward(raw: RewardResponse): Reward {
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    pointsCost: raw.points_cost,
    active: raw.active,
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

  /** The catalog, cheapest first: active rewards only, or every one with `includeInactive`. */
  async list(businessId: number, options: { includeInactive?: boolean } = {}): Promise<Reward[]> {
    const params: Record<string, boolean> = {};
    if (options.includeInactive) {
      params['include_inactive'] = true;
    }
    const rows = await apiCall(
      this.#http.get<RewardResponse[]>(`/businesses/${businessId}/rewards`, { params }),
    );
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
