import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import {
  ConcurrencyError,
  FixedClock,
  ProjectionWaitTimeoutError,
  type AppendResult,
  type EventStore,
  type EventStreamStore,
  type NewEvent,
  type ProjectionHost,
  type StoredEvent,
} from '@app/event-store';
import { createWebhook, WEBHOOK_ID } from '../domain/testing/webhook-fixtures';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import { WEBHOOK_DIRECTORY_PROJECTION } from '../read-models/directory/webhook-directory';
import { WebhookCommandExecutor } from './webhook-command.executor';
import { WebhookDirectoryReadYourWrites } from './webhook-directory.read-your-writes';
import { WebhookRepository } from './webhook-repository';

const request = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

/** One webhook's stream in memory, stamped by the clock, positioned 1000 apart. */
class InMemoryWebhookStream implements EventStreamStore {
  readonly events: StoredEvent[] = [];

  constructor(private readonly clock: FixedClock) {}

  readStream(): Promise<StoredEvent[]> {
    return Promise.resolve([...this.events]);
  }

  append(streamId: string, expected: number, events: readonly NewEvent[]): Promise<AppendResult> {
    if (expected !== this.events.length) {
      return Promise.reject(new ConcurrencyError(streamId, expected, this.events.length));
    }
    const stored = events.map((event, index) => ({
      id: `event-${this.events.length + index + 1}`,
      streamId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      version: this.events.length + index + 1,
      position: (this.events.length + index + 1) * 1000,
      recordedAt: this.clock.now(),
      data: event.data,
      metadata: event.metadata,
    }));
    this.events.push(...stored);
    this.clock.advance(60_000);
    return Promise.resolve({
      streamId,
      version: this.events.length,
      firstPosition: stored[0].position,
      lastPosition: stored[stored.length - 1].position,
      events: stored,
    });
  }
}

describe('WebhookCommandExecutor', () => {
  const config = { secretRotationGraceHours: 24, webhooksAllowHttp: false } as AppConfig;
  let clock: FixedClock;
  let stream: InMemoryWebhookStream;
  let waitFor: jest.Mock<Promise<void>, [number, number]>;
  let warnings: jest.SpyInstance;
  let executor: WebhookCommandExecutor;

  /** The executor as the worker has it: no list view, so no read-your-writes to provide. */
  function executorWithoutReadYourWrites(): WebhookCommandExecutor {
    return new WebhookCommandExecutor(
      new WebhookRepository(stream as unknown as EventStore),
      config,
      clock,
    );
  }

  beforeEach(() => {
    clock = new FixedClock(new Date('2025-03-01T12:00:00.000Z'));
    stream = new InMemoryWebhookStream(clock);
    waitFor = jest.fn((_position: number, _timeoutMs: number) => Promise.resolve());
    const projections = {
      names: [WEBHOOK_DIRECTORY_PROJECTION],
      runner: () => ({ waitFor }),
    } as unknown as ProjectionHost;
    executor = new WebhookCommandExecutor(
      new WebhookRepository(stream as unknown as EventStore),
      config,
      clock,
      new WebhookDirectoryReadYourWrites(projections),
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
    expect(stream.events).toHaveLength(1);
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
    expect(stream.events).toHaveLength(1);
  });

  it('given an app without read-your-writes (the worker), when a command asks for it, then it answers once committed', async () => {
    const outcome = await executorWithoutReadYourWrites().execute(createWebhook(), request, {
      consistency: 'read-your-writes',
    });

    expect(outcome).toMatchObject({ changed: true, version: 1 });
    expect(waitFor).not.toHaveBeenCalled();
  });

  it('given If-Match on a webhook that never existed, then it is not found', async () => {
    const deactivate = {
      type: 'DeactivateWebhook' as const,
      data: { id: WEBHOOK_ID, reason: 'admin' as const },
    };

    await expect(
      executor.execute(deactivate, request, { ifMatchVersion: 1 }),
    ).rejects.toBeInstanceOf(WebhookNotFoundError);
  });

  it('given a stale If-Match, then it is a ConcurrencyError with the current version, and nothing is written', async () => {
    await executor.execute(createWebhook(), request);

    const error = await executor
      .execute({ type: 'DeactivateWebhook', data: { id: WEBHOOK_ID, reason: 'admin' } }, request, {
        ifMatchVersion: 0,
      })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({
      streamId: `webhook-${WEBHOOK_ID}`,
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(stream.events).toHaveLength(1);
  });
});
