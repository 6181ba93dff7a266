/**
 * Varied but reproducible webhooks for the admin benchmark: the same seed gives the same names,
 * URLs, environments and event selections, so runs compare. Name words never occur in URLs and
 * URL words never in names, so a name search and a URL search each match only their own field.
 */

/** mulberry32: a small, fast, seedable PRNG returning [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ['Billing', 'Support', 'Sales', 'Ops', 'Finance', 'Data', 'Security', 'Partner'];
const SYSTEMS = [
  'CRM',
  'Slack',
  'Warehouse',
  'ERP',
  'Zendesk',
  'Salesforce',
  'HubSpot',
  'Jira',
  'PagerDuty',
  'Analytics',
];
const PURPOSES = ['Sync', 'Alerts', 'Audit', 'Mirror', 'Notifier', 'Bridge', 'Export', 'Feed'];
const DOMAINS = [
  'acme.com',
  'globex.io',
  'initech.net',
  'umbrella.dev',
  'hooli.xyz',
  'soylent.org',
  'tyrell.co',
  'wonka.app',
];
const PATHS = ['hooks', 'webhooks', 'api/events', 'integrations/lmp', 'v2/inbound'];
/** Roughly how the environments of real webhooks are spread. */
const ENVIRONMENT_WEIGHTS = [
  ['production', 0.5],
  ['staging', 0.3],
  ['development', 0.2],
] as const;

/** What the benchmark searches for: one name word and one URL domain from the lists above. */
export const NAME_SEARCH = 'zendesk';
export const URL_SEARCH = 'globex.io';

export interface WebhookInput {
  name: string;
  url: string;
  environment: string;
  eventTypes: string[];
  description: string | null;
}

/** Webhook number `index` of a run: its fields depend only on `seed` and `index`. */
export function webhookInput(
  seed: number,
  index: number,
  eventTypes: readonly string[],
): WebhookInput {
  const random = seededRandom(seed * 1_000_003 + index);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const team = pick(TEAMS);
  const system = pick(SYSTEMS);
  const purpose = pick(PURPOSES);
  let roll = random();
  let environment: string = ENVIRONMENT_WEIGHTS[0][0];
  for (const [name, weight] of ENVIRONMENT_WEIGHTS) {
    environment = name;
    if ((roll -= weight) < 0) break;
  }
  // 1 to 6 distinct event types from the catalogue.
  const wanted = 1 + Math.floor(random() * 6);
  const chosen = new Set<string>();
  while (chosen.size < Math.min(wanted, eventTypes.length)) chosen.add(pick(eventTypes));
  const host = `${pick(['api', 'hooks', 'ingest', 'edge', 'svc'])}${Math.floor(random() * 50)}.${pick(DOMAINS)}`;
  return {
    name: `${team} ${system} ${purpose} ${index + 1}`,
    url: `https://${host}/${pick(PATHS)}/${(index + 1).toString(36)}`,
    environment,
    eventTypes: [...chosen],
    description: random() < 0.5 ? `Benchmark webhook ${index + 1} for ${team.toLowerCase()}` : null,
  };
}
