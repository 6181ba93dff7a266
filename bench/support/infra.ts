import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

export interface Servers {
  mongoUri: string;
  kafkaBrokers: string;
  /** True when `scripts/infra start` was run because one of the two was not set. */
  local: boolean;
}

/**
 * The database and the Kafka brokers to benchmark against: MONGODB_URI and KAFKA_BROKERS when both
 * are set; otherwise the project's local FerretDB and Kafka, started with `scripts/infra start`
 * (like `npm start` and the test tiers) and found with `scripts/infra env`. A variable that is set
 * keeps its value either way.
 */
export function resolveServers(): Servers {
  const mongoUri = process.env.MONGODB_URI?.trim() ?? '';
  const kafkaBrokers = process.env.KAFKA_BROKERS?.trim() ?? '';
  if (mongoUri && kafkaBrokers) return { mongoUri, kafkaBrokers, local: false };

  const infra = join(REPO_ROOT, 'scripts', 'infra');
  const unset = [!mongoUri && 'MONGODB_URI', !kafkaBrokers && 'KAFKA_BROKERS'].filter(Boolean);
  console.log(
    `${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set: ` +
      'starting the local infrastructure (scripts/infra start)',
  );
  execFileSync('bash', [infra, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exported = new Map<string, string>();
  const printed = execFileSync('bash', [infra, 'env'], { encoding: 'utf8' });
  for (const match of printed.matchAll(/^export (.*)$/gm)) {
    for (const assignment of match[1].split(/\s+/)) {
      const [, name, value] = /^(\w+)=(.*)$/.exec(assignment) ?? [];
      if (name && value) exported.set(name, value.replace(/^["']|["']$/g, ''));
    }
  }
  const resolved = {
    mongoUri: mongoUri || exported.get('MONGODB_URI') || '',
    kafkaBrokers: kafkaBrokers || exported.get('KAFKA_BROKERS') || '',
    local: true,
  };
  if (!resolved.mongoUri || !resolved.kafkaBrokers) {
    throw new Error(`scripts/infra env did not print MONGODB_URI and KAFKA_BROKERS:\n${printed}`);
  }
  return resolved;
}
