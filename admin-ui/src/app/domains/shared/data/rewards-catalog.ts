/**
 * Reading a business's rewards catalog on the loyalty service, for every domain that shows
 * it: the rewards page (the whole catalog) and the customers page (what can be redeemed).
 *
 * `GET /businesses/{id}/rewards` → `[reward]`, cheapest first; active ones only unless
 * `include_inactive=true`. A reward on the wire is `{id, business_id, name, description (may
 * be ""), points_cost, active, created_at, updated_at}`. Changing the catalog belongs to the
 * rewards domain (`domains/rewards/data/rewards-client.ts`).
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

/** The app's reward from its wire shape. */
export function toReward(raw: RewardResponse): Reward {
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    pointsCost: raw.points_cost,
    active: raw.active,
  };
}

@Service()
export class RewardsCatalog {
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
}
