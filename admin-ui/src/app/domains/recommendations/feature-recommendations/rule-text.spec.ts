import { Capability } from '../data/recommendations-client';
import { rankingText, ruleText } from './rule-text';

function capability(rule: string, parameters: Record<string, string>): Capability {
  return {
    rule,
    title: 'Title',
    description: 'cosine similarity: co-visits / sqrt(visitors of A x visitors of B)',
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
  };
}

describe('ruleText', () => {
  it('says what each rule does in a shop owner’s words, with its settings', () => {
    const texts = [
      capability('near_reward', { near_reward_fraction: '0.2', near_reward_percent: '20' }),
      capability('inactivity', { inactive_days: '45' }),
      capability('cross_promotion', { max_partners_per_business: '10' }),
      capability('co_visit', { min_co_visits: '3', similarity: 'cosine' }),
      capability('something_new', {}),
    ].map((c) => ruleText(c).text);
    expect(texts[0]).toContain('at most 20% of its points');
    expect(texts[1]).toContain('45 days');
    expect(texts[2]).toContain('up to 10');
    expect(texts[3]).toContain('at least 3 customers');
    for (const text of texts) {
      expect(text).not.toMatch(/cosine|sqrt|fraction|0\.2|near_reward|_/);
    }
  });

  it('sums up the ranking without the engine’s rule names', () => {
    expect(
      rankingText({ rules: [], ranking: 'By rule (near_reward, …)', maxRecommendations: 5 }),
    ).toBe('Each customer gets at most 5 suggestions, one per shop, in the order above.');
  });
});
