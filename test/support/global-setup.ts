import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Makes sure the servers the int and e2e tiers need are up. With MONGODB_URI and KAFKA_BROKERS set,
 * the tests use those; otherwise the project's own local Kafka and FerretDB are installed (once) and
 * started, and their addresses exported to the test workers.
 */
export default function globalSetup(): void {
  if (process.env.MONGODB_URI && process.env.KAFKA_BROKERS) return;
  const infra = join(__dirname, '..', '..', 'scripts', 'infra');
  execFileSync('bash', [infra, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exports = execFileSync('bash', [infra, 'env'], { encoding: 'utf8' });
  // `export MONGODB_URI=... KAFKA_BROKERS=...`: NAME=value words (the values hold no spaces).
  for (const [, name, value] of exports.matchAll(/\b([A-Z][A-Z0-9_]*)=(\S+)/g)) {
    process.env[name] ??= value.replace(/^["']|["']$/g, '');
  }
}
