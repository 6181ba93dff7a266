import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The part of jest's project config used here; `displayName` is `{ name, color }` once normalised. */
interface ProjectConfig {
  displayName?: string | { name: string };
}

const SCRIPTS = join(__dirname, '..', '..', 'scripts');

/**
 * jest's globalSetup of the int and e2e projects (jest passes `(globalConfig, projectConfig)`):
 *
 * - e2e only: makes sure Chromium is installed for the browser tests, from the system's packages
 *   (`scripts/browser install`, never a downloaded browser), and exports CHROMIUM_PATH;
 * - both: makes sure the servers the tests need are up. With MONGODB_URI and KAFKA_BROKERS set, the
 *   tests use those; otherwise the project's own local Kafka and FerretDB are installed (once) and
 *   started, and their addresses exported to the test workers.
 */
export default function globalSetup(_globalConfig: unknown, projectConfig?: ProjectConfig): void {
  if (projectName(projectConfig) === 'e2e') installBrowser();
  startInfrastructure();
}

function projectName(projectConfig: ProjectConfig | undefined): string | undefined {
  const displayName = projectConfig?.displayName;
  return typeof displayName === 'string' ? displayName : displayName?.name;
}

function installBrowser(): void {
  const browser = join(SCRIPTS, 'browser');
  execFileSync('bash', [browser, 'install'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (!process.env.CHROMIUM_PATH) {
    process.env.CHROMIUM_PATH = execFileSync('bash', [browser, 'path'], {
      encoding: 'utf8',
    }).trim();
  }
}

function startInfrastructure(): void {
  if (process.env.MONGODB_URI && process.env.KAFKA_BROKERS) return;
  const infra = join(SCRIPTS, 'infra');
  execFileSync('bash', [infra, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exports = execFileSync('bash', [infra, 'env'], { encoding: 'utf8' });
  // `export MONGODB_URI=... KAFKA_BROKERS=...`: NAME=value words (the values hold no spaces).
  for (const [, name, value] of exports.matchAll(/\b([A-Z][A-Z0-9_]*)=(\S+)/g)) {
    process.env[name] ??= value.replace(/^["']|["']$/g, '');
  }
}
