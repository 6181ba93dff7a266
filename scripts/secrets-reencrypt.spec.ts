import { formatReport, runSecretsReencrypt, usage } from './secrets-reencrypt';

function output() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    sink: {
      stdout: (text: string) => (out.stdout += text),
      stderr: (text: string) => (out.stderr += text),
    },
  };
}

describe('npm run secrets:reencrypt (arguments and output)', () => {
  it('given --help, when run, then it prints the usage and exits 0', async () => {
    const { out, sink } = output();

    expect(await runSecretsReencrypt(['--help'], {}, sink)).toBe(0);
    expect(out.stdout).toBe(`${usage()}\n`);
  });

  it('given an unknown option or an argument, when run, then it exits 2 with the usage', async () => {
    for (const argv of [['--force'], ['webhook-1']]) {
      const { out, sink } = output();
      expect(await runSecretsReencrypt(argv, {}, sink)).toBe(2);
      expect(out.stderr).toContain('usage: npm run secrets:reencrypt');
    }
  });

  it('given a malformed keyring, when run, then it exits 78 naming the variable without echoing it', async () => {
    const { out, sink } = output();
    const value = 'k1:not-a-key-at-all-but-long-enough';

    expect(await runSecretsReencrypt([], { SECRETS_ENCRYPTION_KEY: value }, sink)).toBe(78);
    expect(out.stderr).toContain('SECRETS_ENCRYPTION_KEY');
    expect(out.stderr).not.toContain('not-a-key-at-all');
  });

  it('given a report, when formatted, then it shows counts and the webhook ids of undecryptable secrets', () => {
    const text = formatReport(
      {
        webhooks: 3,
        reencrypted: 1,
        copied: 1,
        alreadyCurrent: 0,
        undecryptable: 1,
        undecryptableSecrets: [
          {
            webhookId: 'wh-9',
            reason: 'Cannot decrypt secret: its key "kA" is not in SECRETS_ENCRYPTION_KEY',
          },
        ],
        shredded: 2,
      },
      'kB',
    );

    expect(text).toContain('secrets under key "kB"');
    expect(text).toMatch(/re-encrypted\s+1/);
    expect(text).toMatch(/undecryptable\s+1/);
    expect(text).toMatch(/shredded \(deleted webhooks\)\s+2/);
    expect(text).toContain('wh-9: Cannot decrypt secret: its key "kA"');
  });
});
