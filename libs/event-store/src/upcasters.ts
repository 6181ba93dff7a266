import { UpcastError } from './errors';

/** What an upcaster sees and returns: the persisted shape of one event. */
export interface UpcastableEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/**
 * Raises an event from `fromVersion` to `fromVersion + 1`. It may also rename the type, for an event
 * whose name changed; the result must describe the next schema version.
 */
export type Upcaster = (event: UpcastableEvent) => UpcastableEvent;

/** One upcaster with what it raises: the form in which domains list theirs. */
export interface UpcasterDefinition {
  type: string;
  fromVersion: number;
  upcast: Upcaster;
}

/**
 * Keeps one upcaster per (event type, schema version) change, and applies them in a chain when
 * events are read, so old events are always seen in their newest shape and never rewritten.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  /**
   * Adds an upcaster. Registering the same one again does nothing (several modules of an app may
   * register their domain's list); a different one for the same type and version is an error.
   */
  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const key = UpcasterRegistry.key(type, fromVersion);
    if (this.upcasters.get(key) === upcaster) return this;
    if (this.upcasters.has(key)) {
      throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    }
    this.upcasters.set(key, upcaster);
    return this;
  }

  registerAll(definitions: readonly UpcasterDefinition[]): this {
    for (const { type, fromVersion, upcast } of definitions)
      this.register(type, fromVersion, upcast);
    return this;
  }

  upcast(event: UpcastableEvent): UpcastableEvent {
    let current = event;
    // Bounded so a cycle (an upcaster that does not raise the version) cannot hang a reader.
    for (let steps = 0; steps < 1000; steps++) {
      const upcaster = this.upcasters.get(
        UpcasterRegistry.key(current.type, current.schemaVersion),
      );
      if (!upcaster) return current;
      const next = upcaster(current);
      if (next.schemaVersion <= current.schemaVersion) {
        throw new UpcastError(
          current.type,
          current.schemaVersion,
          'upcaster did not raise the version',
        );
      }
      current = next;
    }
    throw new UpcastError(event.type, event.schemaVersion, 'upcaster chain too long');
  }

  private static key(type: string, version: number): string {
    return `${type}@${version}`;
  }
}
