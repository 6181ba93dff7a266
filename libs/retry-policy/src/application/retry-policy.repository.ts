import { Injectable } from '@nestjs/common';
import {
  DeciderCommandHandler,
  EventStore,
  type EventSourcedDecider,
  type HandleOptions,
  type HandledCommand,
  type LoadedStream,
  type StoredEvent,
} from '@app/event-store';
import type { RetryPolicyCommand } from '../domain/retry-policy.commands';
import { retryPolicyDecider } from '../domain/retry-policy.decider';
import {
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

/** The retry policy decides without a context: a policy is valid or not whenever it is set. */
export type RetryPolicyCommandOptions = HandleOptions<RetryPolicyState, void>;

/** The retry-policy decider with the stored form of its events. */
const storedRetryPolicyDecider: EventSourcedDecider<
  RetryPolicyCommand,
  RetryPolicyEvent,
  RetryPolicyState,
  void
> = {
  ...retryPolicyDecider,
  fromStored: (event) =>
    isRetryPolicyEventType(event.type)
      ? ({ type: event.type, data: event.data } as RetryPolicyEvent)
      : undefined,
  toNew: toNewRetryPolicyEvent,
};

/** The setting as loaded or as a command left it: its last change is its stream's last event. */
export function retryPolicyOf({
  state,
  version,
  events,
}: LoadedStream<RetryPolicyState>): LoadedRetryPolicy {
  return { state, version, lastChange: events.at(-1) ?? null };
}

/**
 * The setting's stream, loaded and written through the event store's decider command handler. The
 * stream is read in full on every load: it grows by one event per deliberate owner change, so it
 * stays tiny, and reading it directly gives the api read-your-writes without a read model.
 */
@Injectable()
export class RetryPolicyRepository {
  private readonly stream: DeciderCommandHandler<
    RetryPolicyCommand,
    RetryPolicyEvent,
    RetryPolicyState,
    void
  >;

  constructor(store: EventStore) {
    this.stream = new DeciderCommandHandler(store, storedRetryPolicyDecider);
  }

  async load(): Promise<LoadedRetryPolicy> {
    return retryPolicyOf(await this.stream.load(RETRY_POLICY_STREAM_ID));
  }

  handle(
    command: RetryPolicyCommand,
    options: RetryPolicyCommandOptions,
  ): Promise<HandledCommand<RetryPolicyState>> {
    return this.stream.handle(RETRY_POLICY_STREAM_ID, command, options);
  }
}
