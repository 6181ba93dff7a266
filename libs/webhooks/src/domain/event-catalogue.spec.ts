import {
  ENVIRONMENTS,
  EVENT_CATALOGUE,
  EVENT_TYPES,
  isEnvironment,
  isEventType,
} from './event-catalogue';

describe('event catalogue', () => {
  it('holds the 21 platform event types of the manual in five groups and the 2 operational ones last, in the order the UI shows them', () => {
    expect(EVENT_CATALOGUE.map((g) => [g.group, g.eventTypes.length])).toEqual([
      ['License', 9],
      ['Activation', 3],
      ['Product', 3],
      ['Contract', 4],
      ['Telemetry', 2],
      ['Operational', 2],
    ]);
    expect(EVENT_TYPES).toHaveLength(23);
    expect(new Set(EVENT_TYPES).size).toBe(23);
  });

  it('names each platform type after its group; the operational ones after what they are about', () => {
    const operational = EVENT_CATALOGUE.find((g) => g.group === 'Operational');
    expect(operational?.eventTypes).toEqual(['webhook.paused', 'delivery.failed']);
    for (const { group, eventTypes } of EVENT_CATALOGUE.filter((g) => g !== operational)) {
      for (const type of eventTypes) expect(type.startsWith(`${group.toLowerCase()}.`)).toBe(true);
    }
  });

  it('lists the types flat in catalogue order', () => {
    expect(EVENT_TYPES.slice(0, 2)).toEqual(['license.created', 'license.updated']);
    expect(EVENT_TYPES.slice(-4)).toEqual([
      'telemetry.received',
      'telemetry.flagged',
      'webhook.paused',
      'delivery.failed',
    ]);
  });

  it('recognises catalogue types only', () => {
    expect(isEventType('activation.failed')).toBe(true);
    expect(isEventType('contract.suspended')).toBe(true);
    expect(isEventType('delivery.failed')).toBe(true);
    expect(isEventType('webhook.test')).toBe(false);
    expect(isEventType('License.Created')).toBe(false);
    expect(isEventType(42)).toBe(false);
  });

  it('knows the three environments', () => {
    expect(ENVIRONMENTS).toEqual(['production', 'staging', 'development']);
    expect(isEnvironment('staging')).toBe(true);
    expect(isEnvironment('Production')).toBe(false);
    expect(isEnvironment(undefined)).toBe(false);
  });
});
