/**
 * The recommendation engine's self-description and the business's cross-promotion partners,
 * both on the loyalty service, mapped in this one file:
 *
 * - `GET /customers/recommendations/capabilities` → guessed `{rules: [{rule, title,
 *   description, parameters}]}`; `parameters` may be an object (`{"min_points": 100}`), a list
 *   of names, or a list of `{name, description|value}` — all become `{name, value}` pairs.
 * - `GET|PUT /businesses/{id}/cross_promotions` → guessed `{partner_business_ids: [2, 5]}`;
 *   a bare id list or `{partners: [{id, name}]}` are read too. PUT sends
 *   `{partner_business_ids: [...]}`.
 * - `GET /businesses?q=&limit=` → the public directory `[{id, name}]` to choose partners from.
 *
 * These routes are not built yet; adjust the mappers here when they land.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export interface CapabilityParameter {
  readonly name: string;
  readonly value: string | null;
}

export interface Capability {
  readonly rule: string;
  readonly title: string;
  readonly description: string;
  readonly parameters: readonly CapabilityParameter[];
}

export interface DirectoryEntry {
  readonly id: number;
  readonly name: string;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';
}

function humanise(rule: string): string {
  const words = rule.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function toParameters(raw: unknown): CapabilityParameter[] {
  if (Array.isArray(raw)) {
    return raw
      .map((item) => {
        if (typeof item === 'string') {
          return { name: item, value: null };
        }
        const p = record(item);
        const value = text(p['value'] ?? p['default'] ?? p['description']);
        return { name: text(p['name']), value: value || null };
      })
      .filter((p) => p.name !== '');
  }
  return Object.entries(record(raw)).map(([name, value]) => ({
    name,
    value:
      typeof value === 'object' && value !== null ? JSON.stringify(value) : text(value) || null,
  }));
}

/** Map the capabilities answer (see the file comment). */
export function toCapabilities(raw: unknown): Capability[] {
  const rules = Array.isArray(raw) ? raw : (record(raw)['rules'] ?? record(raw)['capabilities']);
  if (!Array.isArray(rules)) {
    return [];
  }
  return rules.map(record).map((r) => {
    const rule = text(r['rule'] ?? r['name']);
    return {
      rule,
      title: text(r['title']) || humanise(rule),
      description: text(r['description']),
      parameters: toParameters(r['parameters']),
    };
  });
}

/** Map the cross-promotion answer to a list of partner ids (see the file comment). */
export function toPartnerIds(raw: unknown): number[] {
  const body = record(raw);
  const list: unknown = Array.isArray(raw)
    ? raw
    : (body['partner_business_ids'] ?? body['partners'] ?? body['business_ids'] ?? []);
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .map((item) =>
      typeof item === 'number' ? item : Number(record(item)['id'] ?? record(item)['business_id']),
    )
    .filter((id) => Number.isInteger(id) && id > 0);
}

@Service()
export class RecommendationsClient {
  readonly #http = inject(HttpClient);

  async capabilities(): Promise<Capability[]> {
    return toCapabilities(
      await apiCall(this.#http.get<unknown>('/customers/recommendations/capabilities')),
    );
  }

  async partners(businessId: number): Promise<number[]> {
    return toPartnerIds(
      await apiCall(this.#http.get<unknown>(`/businesses/${businessId}/cross_promotions`)),
    );
  }

  async savePartners(businessId: number, partnerIds: readonly number[]): Promise<number[]> {
    const raw = await apiCall(
      this.#http.put<unknown>(`/businesses/${businessId}/cross_promotions`, {
        partner_business_ids: [...partnerIds],
      }),
    );
    const saved = toPartnerIds(raw);
    return saved.length > 0 || (Array.isArray(raw) && raw.length === 0) ? saved : [...partnerIds];
  }

  /** The public directory (at most 200 businesses, sorted by name). */
  async directory(query = ''): Promise<DirectoryEntry[]> {
    const params: Record<string, string | number> = { limit: 200 };
    if (query.trim()) {
      params['q'] = query.trim();
    }
    const rows = await apiCall(this.#http.get<DirectoryEntry[]>('/businesses', { params }));
    return rows.map((r) => ({ id: r.id, name: r.name }));
  }
}
