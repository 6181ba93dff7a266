import { Kafka, logLevel } from 'kafkajs';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import { exampleData } from '../../../test/support/event-data';
import { within } from '../../../test/support/within';

/** The dead letters of the rig's topic, as many as `count`, with their headers. */
async function deadLetters(rig: DeliveryRig, count: number) {
  const kafka = new Kafka({
    clientId: 'dlq-reader',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}` });
  const letters: { value: string; reason: string }[] = [];
  const gotAll = new Promise<void>((resolve) => {
    void consumer.connect().then(async () => {
      await consumer.subscribe({ topic: rig.topics.deadLetter, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          letters.push({
            value: String(message.value),
            reason: String(message.headers?.['x-dead-letter-reason'] ?? ''),
          });
          if (letters.length >= count) resolve();
          return Promise.resolve();
        },
      });
    });
  });
  try {
    await within(gotAll, 30_000, `${count} dead letters`);
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

describe('platform event data checked against its type schema at ingest (worker, Kafka)', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    // PLATFORM_EVENT_VALIDATION is not set: strict is the default.
    rig = await startDeliveryRig({ label: 'data-schema' });
  });

  afterAll(() => rig?.close());

  it('given events whose data breaks the schema between valid ones, when consumed, then the bad ones are dead-lettered with pointer and rule and the good ones delivered', async () => {
    const hook = await rig.createWebhook({
      name: 'Licenses',
      path: '/licenses',
      eventTypes: ['license.created'],
    });
    const valid = exampleData('license.created') as { license: Record<string, unknown> };
    const before = platformEvent('license.created');
    // An extra field, at the top and inside: producers evolve, so it passes.
    const additive = platformEvent('license.created', {
      data: { ...valid, region: 'eu', license: { ...valid.license, tier: 'gold' } },
    });
    const after = platformEvent('license.created');
    const missing = platformEvent('license.created', {
      data: { license: { ...valid.license, key: undefined } },
    });
    const wrongType = platformEvent('license.created', {
      data: { license: { ...valid.license, seats: { total: '25', used: 0 } } },
    });
    const key = 'one-partition';
    await rig.publish(rig.topics.licenses, [
      { key, value: JSON.stringify(before) },
      { key, value: JSON.stringify(missing) },
      { key, value: JSON.stringify(additive) },
      { key, value: JSON.stringify(wrongType) },
      { key, value: JSON.stringify(after) },
    ]);

    const letters = await deadLetters(rig, 2);
    expect(letters.map((letter) => JSON.parse(letter.value).id)).toEqual([
      missing.id,
      wrongType.id,
    ]);
    expect(letters[0].reason).toBe(
      'data breaks the license.created schema: /data/license must have property "key" ' +
        '(rule: required at #/properties/license/required)',
    );
    expect(letters[1].reason).toBe(
      'data breaks the license.created schema: /data/license/seats/total must be integer ' +
        '(rule: type at #/properties/license/properties/seats/properties/total/type)',
    );
    await eventually(async () => {
      const { body } = await rig.call('GET', `/deliveries?webhookId=${hook.id}&limit=100`);
      const items = body.items as { eventId: string; status: string }[];
      return items.length === 3 && items.every((item) => item.status === 'succeeded');
    }, 'three delivered');
    const received = rig.receiver.requests
      .filter((request) => request.path === '/licenses')
      .map((request) => JSON.parse(request.rawBody).id as string);
    expect(received.sort()).toEqual([before.id, additive.id, after.id].sort());
  });
});

describe('platform event data not checked with PLATFORM_EVENT_VALIDATION=off', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({
      label: 'data-schema-off',
      env: { PLATFORM_EVENT_VALIDATION: 'off' },
    });
  });

  afterAll(() => rig?.close());

  it('given an event whose data breaks the schema, when consumed, then it is delivered as received', async () => {
    await rig.createWebhook({ name: 'Any', path: '/any', eventTypes: ['license.created'] });
    const loose = platformEvent('license.created', { data: { licenseKey: 'LIC-1', seats: 5 } });
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(loose) }]);

    const request = await rig.receiver.waitFor(
      (r) => r.path === '/any' && r.rawBody.includes(loose.id),
    );
    expect(JSON.parse(request.rawBody).data).toEqual(loose.data);
  });
});
