import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpcasterRegistry } from '@app/event-store';
import { AuditProjection } from '@app/audit';
import { DURABLE_PROJECTIONS, WEBHOOK_UPCASTERS, WebhookListProjection } from '@app/webhooks';
import { appUpcasters, formatResult, runProjectionsRebuild } from './projections-rebuild';

describe('npm run projections:rebuild', () => {
  let stateDir: string;
  let stdout: string;
  let stderr: string;
  const out = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
  };
  // Nothing below gets as far as connecting: an unreachable database makes sure of it.
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runProjectionsRebuild(
      args,
      { LOCAL_STATE_DIR: stateDir, MONGODB_URI: 'mongodb://127.0.0.1:1/none', ...env },
      out,
    );

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'projections-rebuild-'));
    stdout = '';
    stderr = '';
  });

  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('knows the durable projections by name', () => {
    expect(Object.keys(DURABLE_PROJECTIONS)).toEqual(['webhook-list', 'audit']);
    expect(DURABLE_PROJECTIONS['webhook-list']()).toBeInstanceOf(WebhookListProjection);
    expect(DURABLE_PROJECTIONS.audit()).toBeInstanceOf(AuditProjection);
  });

  it('reads events through the upcasters the apps register (the webhook domain list)', () => {
    const registerAll = jest.spyOn(UpcasterRegistry.prototype, 'registerAll');
    try {
      expect(appUpcasters()).toBeInstanceOf(UpcasterRegistry);
      expect(registerAll).toHaveBeenCalledWith(WEBHOOK_UPCASTERS);
    } finally {
      registerAll.mockRestore();
    }
  });

  it('given an unknown name, when run, then it lists the known ones and exits 2', async () => {
    expect(await run(['webhook-lists'])).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown projection "webhook-lists"; known: audit, webhook-list');
    expect(stderr).toContain('usage: npm run projections:rebuild -- <name>');
  });

  it('given an inherited property name, when run, then it is unknown too', async () => {
    expect(await run(['toString'])).toBe(2);
    expect(stderr).toContain('unknown projection "toString"');
  });

  it.each([
    ['no name', []],
    ['two names', ['webhook-list', 'webhook-list']],
    ['an unknown option', ['webhook-list', '--force']],
  ])('given %s, when run, then usage is printed and it exits 2', async (_case, args) => {
    expect(await run(args)).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('usage: npm run projections:rebuild -- <name>');
    expect(stderr).toContain('Projections: audit, webhook-list');
  });

  it('given --help, when run, then usage is printed and it exits 0', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(stdout).toContain('Projections: audit, webhook-list');
  });

  it('given a bad configuration, when run, then it exits 78 and rebuilds nothing', async () => {
    expect(await run(['webhook-list'], { PROJECTION_POLL_INTERVAL_MS: 'soon' })).toBe(78);
    expect(stdout).toBe('');
    expect(stderr).toContain('PROJECTION_POLL_INTERVAL_MS');
  });

  it('prints the result as a table with the rate', () => {
    expect(
      formatResult({
        projection: 'webhook-list',
        collection: 'rm_webhooks_g3',
        previousCollection: 'rm_webhooks_g2',
        generation: 3,
        position: 42_000,
        events: 300,
        durationMs: 1500,
      }),
    ).toBe(
      [
        'rebuilt webhook-list',
        '  collection           rm_webhooks_g3',
        '  previous collection  rm_webhooks_g2',
        '  generation           3',
        '  position             42000',
        '  events               300',
        '  duration             1500 ms',
        '  events/s             200',
      ].join('\n'),
    );
  });
});
