import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import {
  FixedClock,
  ProjectionWaitTimeoutError,
  type AppendResult,
  type ProjectionHost,
  type StoredEvent,
} from '@app/event-store';
import { createWebhook, WEBHOOK_ID } from '../domain/testing/webhook-fixtures';
import {
  evolve,
  initialState,
  WEBHOOK_EVENT_SCHEMA_VERSIONS,
  type WebhookEvent,
} from '../domain/webhook.events';
import { WEBHOOK_DIRECTORY_PROJECTION } from '../read-models/directory/webhook-directory';
import { WebhookCommandExecutor } from './webhook-command.executor';
import type { LoadedWebhook, WebhookRepository } from './webhook-repository';

const request = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

/** One webhook's stream in memory, stamped by the clock, positioned 1000 apart. */
class InMemoryWebhookRepository {
  readonly events: StoredEvent[] = [];

  constructor(private readonly clock: FixedClock) {}

  load(): Promise<LoadedWebhook> {
    const state = this.events.reduce(
      (current, event) => evolve(current, { type: event.type, data: event.data } as WebhookEvent),
      initialState,
    );
    return Promise.resolve({ state, version: this.events.length, events: [...this.events] });
  }

  append(_id: string, expected: number, events: readonly WebhookEvent[]): Promise<AppendResult> {
    if (expected !== this.events.length) throw new Error('unexpected version in this test');
    const stored = events.map((event, index) => ({
      id: `event-${this.events.length + index + 1}`,
      streamId: `webhook-${WEBHOOK_ID}`,
      type: event.type,
      schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS[event.type],
      version: this.events.length + index + 1,
      position: (this.events.length + index + 1) * 1000,
      recordedAt: this.clock.now(),
      data: event.data,
      metadata: request,
    }));
    this.events.push(...stored);
    this.clock.advance(60_000);
    return Promise.resolve({
      streamId: `webhook-${WEBHOOK_ID}`,
      version: this.events.length,
      firstPosition: stored[0].position,
      lastPosition: stored[stored.length - 1].position,
      events: stored,
    });
  }
}

describe('WebhookCommandExecutor', () => {
  let clock: FixedClock;
  let repository: InMemoryWebhookRepository;
  let waitFor: jest.Mock<Promise<void>, [number, number]>;
  let warnings: jest.SpyInstance;
  let executor: WebhookCommandExecutor;

  beforeEach(() => {
    clock = new FixedClock(new Date('2025-03-01T12:00:00.000Z'));
    repository = new InMemoryWebhookRepository(clock);
    waitFor = jest.fn((_position: number, _timeoutMs: number) => Promise.resolve());
    const projections = {
      names: [WEBHOOK_DIRECTORY_PROJECTION],
      runner: () => ({ waitFor }),
    } as unknown as ProjectionHost;
    const config = { secretRotationGraceHours: 24, webhooksAllowHttp: false } as AppConfig;
    executor = new WebhookCommandExecutor(
      repository as unknown as WebhookRepository,
      projections,
      config,
      clock,
    );
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warnings.mockRestore());

  it('given read-your-writes, when a webhook is created, then it answers once the list view has its position', async () => {
    const outcome = await executor.execute(createWebhook(), request, {
      consistency: 'read-your-writes',
    });

    expect(waitFor).toHaveBeenCalledWith(1000, expect.any(Number));
    expect(outcome).toMatchObject({ changed: true, version: 1 });
    expect(outcome.view).toMatchObject({
      id: WEBHOOK_ID,
      name: 'CRM Sync',
      status: 'active',
      version: 1,
      createdAt: '2025-03-01T12:00:00.000Z',
      updatedAt: '2025-03-01T12:00:00.000Z',
    });
  });

  it('given the list view does not get there in time, when a write is committed, then it still succeeds, with a warning', async () => {
    waitFor.mockRejectedValue(
      new ProjectionWaitTimeoutError(WEBHOOK_DIRECTORY_PROJECTION, 1000, 3000),
    );

    const outcome = await executor.execute(createWebhook(), request, {
      consistency: 'read-your-writes',
    });

    expect(outcome).toMatchObject({ changed: true, version: 1, view: { name: 'CRM Sync' } });
    expect(repository.events).toHaveLength(1);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('did not reach 1000'));
  });

  it('given eventual consistency (a system command), when it writes, then it does not wait for the list view', async () => {
    await executor.execute(createWebhook(), request);

    expect(waitFor).not.toHaveBeenCalled();
  });

  it('given an update, then the view keeps the creation time and takes the update time from its event', async () => {
    await executor.execute(createWebhook(), request);

    const outcome = await executor.execute(
      { type: 'DeactivateWebhook', data: { id: WEBHOOK_ID, reason: 'admin' } },
      request,
      { ifMatchVersion: 1, consistency: 'read-your-writes' },
    );

    expect(waitFor).toHaveBeenLastCalledWith(2000, expect.any(Number));
    expect(outcome.view).toMatchObject({
      status: 'inactive',
      deactivationReason: 'admin',
      version: 2,
      createdAt: '2025-03-01T12:00:00.000Z',
      updatedAt: '2025-03-01T12:01:00.000Z',
    });
  });

  it('given a command that changes nothing, then it answers the webhook as it is, once the view shows its last write', async () => {
    await executor.execute(createWebhook(), request);

    const outcome = await executor.execute(
      { type: 'ActivateWebhook', data: { id: WEBHOOK_ID } },
      request,
      { consistency: 'read-your-writes' },
    );

    expect(outcome).toMatchObject({ changed: false, version: 1, view: { status: 'active' } });
    expect(waitFor).toHaveBeenCalledWith(1000, expect.any(Number));
    expect(repository.events).toHaveLength(1);
  });
});
