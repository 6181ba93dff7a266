import { Injectable } from '@nestjs/common';
import { EventStore, type AppendResult, type StoredEvent } from '@app/event-store';
import type { RequestMetadata } from '@app/platform';
import {
  evolveRetryPolicy,
  initialRetryPolicyState,
  isRetryPolicyEventType,
  toNewRetryPolicyEvent,
  type RetryPolicyEvent,
  type RetryPolicyState,
} from '../domain/retry-policy.events';
import { RETRY_POLICY_STREAM_ID } from './retry-policy-stream';

export interface LoadedRetryPolicy {
  state: RetryPolicyState;
  /** The stream version (0 while the default was never changed). */
  version: number;
  /** The last change, for `updatedAt` / `updatedBy`; null while it is the default. */
  lastChange: StoredEvent | null;
}

/**
 * Loads the setting by folding its stream and appends what its commands decide. The stream is read
 * in full on every load: it grows by one event per deliberate owner change, so it stays tiny, and
 * reading it directly gives the api read-your-writes without a read model.
 */
@Injectable()
export class RetryPolicyRepository {
  constructor(private readonly store: EventStore) {}

  async load(): Promise<LoadedRetryPolicy> {
    const events = (await this.store.readStream(RETRY_POLICY_STREAM_ID)).filter((event) =>
      isRetryPolicyEventType(event.type),
    );
    const state = events.reduce(
      (current, event) =>
        evolveRetryPolicy(current, { type: event.type, data: event.data } as RetryPolicyEvent),
      initialRetryPolicyState,
    );
    const lastChange = events.at(-1) ?? null;
    return { state, version: lastChange?.version ?? 0, lastChange };
  }

  append(
    expectedVersion: number,
    events: readonly RetryPolicyEvent[],
    request: RequestMetadata,
  ): Promise<AppendResult> {
    const metadata = { ...request };
    return this.store.append(
      RETRY_POLICY_STREAM_ID,
      expectedVersion,
      events.map((event) => toNewRetryPolicyEvent(event, metadata)),
    );
  }
}
