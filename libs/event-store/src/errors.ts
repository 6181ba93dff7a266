/** The stream moved on since the caller read it: the append wrote nothing. Maps to HTTP 412/409. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `Stream ${streamId} is at version ${actualVersion}, not the expected version ${expectedVersion}`,
    );
  }
}

/** An append was asked to write no events, or events that cannot be stored. */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

/** An append kept losing its position to other writers until its time ran out; nothing was written. */
export class AppendContentionError extends Error {
  override readonly name = 'AppendContentionError';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`Append to ${streamId} lost its position to other writers ${attempts} times; try again`);
  }
}

/** An upcaster chain could not bring a stored event to its current shape. */
export class UpcastError extends Error {
  override readonly name = 'UpcastError';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    message: string,
  ) {
    super(`Cannot upcast ${eventType} v${schemaVersion}: ${message}`);
  }
}

/** A projection's checkpoint was moved by someone else (another runner, or a rebuild swap). */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
  constructor(readonly projection: string) {
    super(`Checkpoint of projection ${projection} was changed concurrently`);
  }
}

/** `waitFor` gave up: the projection had not applied the position in time (nothing failed). */
export class ProjectionWaitTimeoutError extends Error {
  override readonly name = 'ProjectionWaitTimeoutError';
  constructor(
    readonly projection: string,
    readonly position: number,
    readonly timeoutMs: number,
  ) {
    super(`Projection ${projection} did not reach ${position} in ${timeoutMs} ms`);
  }
}

/** Another process holds a durable projection's writer lease, so this one may not apply events. */
export class ProjectionWriterBusyError extends Error {
  override readonly name = 'ProjectionWriterBusyError';
  constructor(
    readonly projection: string,
    detail: string,
  ) {
    super(`Projection ${projection} is written by another process: ${detail}`);
  }
}

/** A rebuild of the projection is already running elsewhere (it holds the rebuild lease). */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor(
    readonly projection: string,
    detail: string,
  ) {
    super(`A rebuild of ${projection} is already running: ${detail}`);
  }
}
