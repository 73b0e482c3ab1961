/**
 * The recommendation engine's rules as a shop owner reads them. The engine describes itself
 * for developers (`co_visit`, "cosine similarity: co-visits / sqrt(…)", "fraction 0.2"); this
 * file says what each rule does for a customer, with the engine's own settings filled in.
 * A rule this app does not know yet shows its title with a neutral line rather than the
 * engine's technical text.
 */
import { Capabilities, Capability } from '../data/recommendations-client';

/** One rule in plain words. */
export interface RuleText {
  readonly rule: string;
  readonly title: string;
  readonly text: string;
}

function setting(capability: Capability, name: string): string | null {
  return capability.parameters.find((p) => p.name === name)?.value ?? null;
}

function wholeNumber(value: string | null, fallback: string): string {
  const number = Number(value);
  return value !== null && Number.isFinite(number) ? String(Math.round(number)) : fallback;
}

/** What `capability` does, in a sentence for a shop owner. */
export function ruleText(capability: Capability): RuleText {
  const { rule, title } = capability;
  switch (rule) {
    case 'near_reward': {
      const percent = wholeNumber(setting(capability, 'near_reward_percent'), '20');
      return {
        rule,
        title,
        text: `Tells customers when a reward is almost theirs: when they need at most ${percent}% of its points more.`,
      };
    }
    case 'inactivity': {
      const days = wholeNumber(setting(capability, 'inactive_days'), '30');
      return {
        rule,
        title,
        text: `Invites customers back when they have not visited any shop for ${days} days, to the shop they visit most.`,
      };
    }
    case 'cross_promotion': {
      const max = wholeNumber(setting(capability, 'max_partners_per_business'), '10');
      return {
        rule,
        title,
        text: `Tells your customers about the partner shops you choose (up to ${max}) if they have never been there, and their customers about you.`,
      };
    }
    case 'co_visit': {
      const min = wholeNumber(setting(capability, 'min_co_visits'), '2');
      return {
        rule,
        title,
        text: `Suggests shops that people with the same habits also visit, once at least ${min} customers have visited both.`,
      };
    }
    default:
      return { rule, title, text: 'Another kind of suggestion the assistant can make.' };
  }
}

/** How many suggestions a customer gets, and which come first. */
export function rankingText(capabilities: Capabilities): string {
  const max = capabilities.maxRecommendations;
  return (
    `Each customer gets at most ${max} ${max === 1 ? 'suggestion' : 'suggestions'}, ` +
    'one per shop, in the order above.'
  );
}
