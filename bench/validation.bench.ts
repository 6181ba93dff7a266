/**
 * What checking an event's `data` against its type's JSON Schema costs the worker, per event:
 *
 *   npm run bench:validation [-- --events 200000]
 *
 * In process, no servers: the same EventDataValidator the consumer uses (every schema compiled once),
 * on every type's example (valid) and on the same events with a required field removed or retyped
 * (invalid, the reason built as for a dead letter). Also the envelope parse (JSON and class-validator)
 * the consumer already does, for scale. Prints µs per event and, at 3,000 events/s, the share of one
 * core.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EVENT_DATA_SCHEMAS, EventDataValidator, parsePlatformEvent } from '@app/platform-events';

const RATE = 3_000;
const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const EVENTS = Number(values.events);

const valid = Object.entries(EVENT_DATA_SCHEMAS).map(([type, { example }]) => ({
  type,
  data: example,
}));
const invalid = valid.flatMap(({ type, data }) => {
  const [first] = (EVENT_DATA_SCHEMAS[type as keyof typeof EVENT_DATA_SCHEMAS].schema.required ??
    []) as string[];
  const missing = { ...data };
  delete missing[first];
  return [
    { type, data: missing },
    { type, data: { ...data, [first]: 42 } },
  ];
});

function measure(label: string, run: (n: number) => void): number {
  run(Math.min(EVENTS, 20_000)); // warm-up: let V8 optimise the compiled validators
  const started = performance.now();
  run(EVENTS);
  const microseconds = ((performance.now() - started) * 1000) / EVENTS;
  const share = (microseconds * RATE) / 1e6;
  console.log(
    `${label.padEnd(34)} ${microseconds.toFixed(2).padStart(7)} µs/event   ` +
      `at ${RATE.toLocaleString('en')} events/s: ${(share * 100).toFixed(2)}% of a core`,
  );
  return microseconds;
}

const compileStarted = performance.now();
const validator = new EventDataValidator();
console.log(
  `compiled ${valid.length} schemas once in ${(performance.now() - compileStarted).toFixed(0)} ms; ` +
    `${EVENTS.toLocaleString('en')} events per run`,
);

let sink = 0;
measure('schema check, valid data', (n) => {
  for (let i = 0; i < n; i++)
    if (validator.check(valid[i % valid.length].type, valid[i % valid.length].data).ok) sink++;
});
measure('schema check, invalid data', (n) => {
  for (let i = 0; i < n; i++) {
    const event = invalid[i % invalid.length];
    const check = validator.check(event.type, event.data);
    if (!check.ok) sink += check.reason.length;
  }
});
const messages = valid.map(({ type, data }) =>
  Buffer.from(
    JSON.stringify({
      id: `evt_${type}`,
      type,
      environment: 'production',
      occurredAt: '2026-11-27T10:00:00.000Z',
      data,
    }),
  ),
);
measure('envelope parse (for scale)', (n) => {
  for (let i = 0; i < n; i++) if (parsePlatformEvent(messages[i % messages.length]).ok) sink++;
});
if (sink < 0) console.log(sink);
