/**
 * The recommendation engine's self-description and the business's cross-promotion partners,
 * both on the loyalty service, mapped in this one file:
 *
 * - `GET /customers/recommendations/capabilities` (public) → `{rules: [{rule, title,
 *   description, parameters: {name: value}}], ranking, max_recommendations}`, rules in ranking
 *   order (today `near_reward`, `inactivity`, `cross_promotion`, `co_visit`);
 * - `GET|PUT /businesses/{id}/cross_promotions` → `{partner_business_ids: [2, 5], partners:
 *   [{id, name}]}`; PUT sends the whole new list `{partner_business_ids: [...]}` (at most 10);
 * - `GET /businesses?q=&limit=` → the public directory `[{id, name}]` to choose partners from.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export interface CapabilityParameter {
  /** The engine's name for it, e.g. `inactive_days`. */
  readonly name: string;
  /** The configured value, as text (`30`, `0.2`, `cosine`). */
  readonly value: string;
}

export interface Capability {
  readonly rule: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly CapabilityParameter[];
}

export interface Capabilities {
  /** In ranking order. */
  readonly rules: readonly Capability[];
  /** How the engine orders what it suggests, in a sentence. */
  readonly ranking: string;
  /** At most this many suggestions per customer. */
  readonly maxRecommendations: number;
}

export interface DirectoryEntry {
  readonly id: number;
  readonly name: string;
}

export interface CrossPromotions {
  /** Ascending. */
  readonly partnerIds: readonly number[];
  readonly partners: readonly DirectoryEntry[];
}

/** How many partners one business may promote (the loyalty service's limit). */
export const MAX_PARTNERS = 10;

/** The wire shape of the capabilities. */
export interface CapabilitiesResponse {
  rules: {
    rule: string;
    title: string;
    description: string;
    parameters: Record<string, unknown>;
  }[];
  ranking: string;
  max_recommendations: number;
}

/** The wire shape of the cross-promotions. */
export interface CrossPromotionsResponse {
  partner_business_ids: number[];
  partners: DirectoryEntry[];
}

function parameterValue(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function toCapabilities(raw: CapabilitiesResponse): Capabilities {
  return {
    rules: raw.rules.map((r) => ({
      rule: r.rule,
      title: r.title,
      description: r.description,
      parameters: Object.entries(r.parameters).map(([name, value]) => ({
        name,
        value: parameterValue(value),
      })),
    })),
    ranking: raw.ranking,
    maxRecommendations: raw.max_recommendations,
  };
}

export function toCrossPromotions(raw: CrossPromotionsResponse): CrossPromotions {
  return {
    partnerIds: raw.partner_business_ids,
    partners: raw.partners.map((p) => ({ id: p.id, name: p.name })),
  };
}

@Service()
export class RecommendationsClient {
  readonly #http = inject(HttpClient);

  async capabilities(): Promise<Capabilities> {
    return toCapabilities(
      await apiCall(
        this.#http.get<CapabilitiesResponse>('/customers/recommendations/capabilities'),
      ),
    );
  }

  async partners(businessId: number): Promise<CrossPromotions> {
    return toCrossPromotions(
      await apiCall(
        this.#http.get<CrossPromotionsResponse>(`/businesses/${businessId}/cross_promotions`),
      ),
    );
  }

  /** Replace the partner list (`[]` clears it); the answer is the saved list. */
  async savePartners(businessId: number, partnerIds: readonly number[]): Promise<CrossPromotions> {
    return toCrossPromotions(
      await apiCall(
        this.#http.put<CrossPromotionsResponse>(`/businesses/${businessId}/cross_promotions`, {
          partner_business_ids: [...partnerIds],
        }),
      ),
    );
  }

  /** Businesses whose name contains `query` (the public directory, sorted by name). */
  async directory(query = '', limit = 200): Promise<DirectoryEntry[]> {
    const params: Record<string, string | number> = { limit };
    if (query.trim()) {
      params['q'] = query.trim();
    }
    const rows = await apiCall(this.#http.get<DirectoryEntry[]>('/businesses', { params }));
    return rows.map((r) => ({ id: r.id, name: r.name }));
  }
}
