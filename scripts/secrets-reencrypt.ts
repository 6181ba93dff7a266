/**
 * Re-encrypts every stored webhook secret under the newest key of SECRETS_ENCRYPTION_KEY:
 *
 *   npm run secrets:reencrypt
 *
 * Run it after every app runs with the new keyring (`<new id>:<new key>,<old id>:<old key>`), and
 * before the old key is removed. It moves stored ciphertexts to the newest key, copies the secrets
 * that old events hold inline into the secret store, and shreds what deleted webhooks left; it
 * prints counts, and the webhook ids of secrets it could not decrypt (never a secret). Idempotent
 * and resumable: run it again after an interruption, or to check (everything then counts as
 * current). Reads the log a batch at a time and one webhook at a time.
 *
 * Connects to MONGODB_URI as loadConfig resolves it (the embedded local database when unset).
 * Exit codes: 0 every secret is under the newest key, 1 the run failed, 2 bad arguments,
 * 3 done but some secrets could not be decrypted (keep their key in the ring, or accept their
 * loss), 78 bad configuration.
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { ConfigurationError, loadConfig } from '@app/config';
import { EventStore, SystemClock, UpcasterRegistry } from '@app/event-store';
import { redact, SecretBox } from '@app/platform';
import {
  EVENT_UPCASTERS,
  MongoWebhookSecretStore,
  SecretsReencryption,
  WebhookRepository,
  type ReencryptionReport,
} from '@app/webhooks';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function usage(): string {
  return `usage: npm run secrets:reencrypt

Re-encrypts every stored webhook secret under the newest key of SECRETS_ENCRYPTION_KEY (the first
entry of the keyring), copies secrets that old events hold inline into the secret store, and
shreds the stored secrets of deleted webhooks. Safe to run again; the apps keep running.`;
}

/** The report as the command prints it: counts, and webhook ids only. */
export function formatReport(report: ReencryptionReport, newestKeyId: string): string {
  const rows: [string, number][] = [
    ['webhooks', report.webhooks],
    ['re-encrypted', report.reencrypted],
    ['copied from old events', report.copied],
    ['already current', report.alreadyCurrent],
    ['undecryptable', report.undecryptable],
    ['shredded (deleted webhooks)', report.shredded],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `secrets under key "${newestKeyId}"`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
  if (report.undecryptable > 0) {
    lines.push('undecryptable secrets (webhook id: why):');
    for (const { webhookId, reason } of report.undecryptableSecrets) {
      lines.push(`  ${webhookId}: ${reason}`);
    }
    if (report.undecryptable > report.undecryptableSecrets.length) {
      lines.push(`  ... and ${report.undecryptable - report.undecryptableSecrets.length} more`);
    }
  }
  return lines.join('\n');
}

/** Runs the command; resolves to its exit code. */
export async function runSecretsReencrypt(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<number> {
  let help: boolean | undefined;
  try {
    ({
      values: { help },
    } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    out.stderr(`secrets:reencrypt: ${(error as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  if (help) {
    out.stdout(`${usage()}\n`);
    return 0;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    out.stderr(`secrets:reencrypt: ${error.message}\n`);
    return 78;
  }

  const connection = mongoose.createConnection(config.mongodbUri, {
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false,
  });
  try {
    await connection.asPromise();
    const keyring = config.secretsKeyring;
    out.stdout(
      `re-encrypting webhook secrets on ${redact(config.mongodbUri)} under key "${keyring.newestId}" (ring: ${keyring.ids.join(', ')})\n`,
    );
    const clock = new SystemClock();
    const events = new EventStore(
      connection,
      clock,
      new UpcasterRegistry().registerAll(EVENT_UPCASTERS),
    );
    const repository = new WebhookRepository(events);
    const store = new MongoWebhookSecretStore(connection);
    await store.ensureIndexes();
    const reencryption = new SecretsReencryption(
      {
        readAll: (after, maxEvents) => events.readAll(after, maxEvents),
        load: (webhookId) => repository.load(webhookId),
      },
      store,
      new SecretBox(keyring),
      clock,
    );
    const report = await reencryption.run();
    out.stdout(`${formatReport(report, keyring.newestId)}\n`);
    return report.undecryptable > 0 ? 3 : 0;
  } catch (error) {
    out.stderr(`secrets:reencrypt: failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

if (require.main === module) {
  void runSecretsReencrypt(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
