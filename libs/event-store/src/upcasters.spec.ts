import { UpcastError } from './errors';
import { UpcasterRegistry, type UpcastableEvent } from './upcasters';

describe('UpcasterRegistry', () => {
  it('given no upcaster for an event, when read, then it is returned as stored', () => {
    const event = { type: 'WebhookCreated', schemaVersion: 1, data: { a: 1 } };
    expect(new UpcasterRegistry().upcast(event)).toBe(event);
  });

  it('given a chain of upcasters, when an old event is read, then every step applies in order', () => {
    const registry = new UpcasterRegistry()
      .register('E', 1, (event) => ({ ...event, schemaVersion: 2, data: { v: 2 } }))
      .register('E', 2, (event) => ({
        ...event,
        schemaVersion: 3,
        data: { ...(event.data as object), w: 3 },
      }));
    expect(registry.upcast({ type: 'E', schemaVersion: 1, data: {} })).toEqual({
      type: 'E',
      schemaVersion: 3,
      data: { v: 2, w: 3 },
    });
    expect(registry.upcast({ type: 'E', schemaVersion: 2, data: {} }).data).toEqual({ w: 3 });
  });

  it('given an upcaster that does not raise the version, when applied, then it fails loudly', () => {
    const registry = new UpcasterRegistry().register('E', 1, (event) => event);
    expect(() => registry.upcast({ type: 'E', schemaVersion: 1, data: {} })).toThrow(UpcastError);
  });

  it('given the same list registered twice (two modules of one app), then it is kept once', () => {
    const raise = (event: UpcastableEvent) => ({ ...event, schemaVersion: 2, data: { v: 2 } });
    const registry = new UpcasterRegistry()
      .registerAll([{ type: 'E', fromVersion: 1, upcast: raise }])
      .registerAll([{ type: 'E', fromVersion: 1, upcast: raise }]);
    expect(registry.upcast({ type: 'E', schemaVersion: 1, data: {} }).data).toEqual({ v: 2 });
  });

  it('refuses two upcasters for the same type and version', () => {
    const registry = new UpcasterRegistry().register('E', 1, (event) => event);
    expect(() => registry.register('E', 1, (event) => event)).toThrow(/already registered/);
  });
});
