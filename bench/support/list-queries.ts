import type { Collection, Document } from 'mongodb';
import { performance } from 'node:perf_hooks';
import {
  listWebhooks,
  type ListWebhooksParams,
} from '../../libs/webhooks/src/read-models/webhook-list.query';

/** One database query the list sends, replayable on its own. */
export interface CapturedQuery {
  /** `find`, `count total`, `count active` or `count inactive`. */
  label: string;
  /** The query as sent: filter, and for `find` its sort and limit. */
  shape: Document;
  run(): Promise<unknown>;
}

const COUNT_LABELS = ['count total', 'count active', 'count inactive'];

/**
 * The queries `listWebhooks(collection, params)` sends, found by running it once against a proxy
 * of the collection that records each `find` (with its sort and limit) and `countDocuments`. So the
 * benchmark times exactly what the api runs, without a copy of the query code to drift from it.
 */
export async function captureListQueries(
  collection: Collection<Document>,
  params: ListWebhooksParams,
): Promise<CapturedQuery[]> {
  const captured: CapturedQuery[] = [];
  let counts = 0;
  const recording = new Proxy(collection, {
    get(target, property, receiver) {
      if (property === 'find') {
        return (filter: Document, options?: Document) => {
          const shape: Document = { filter };
          const query: CapturedQuery = {
            label: 'find',
            shape,
            run: () => {
              let cursor = target.find(filter, options);
              if (shape.sort) cursor = cursor.sort(shape.sort);
              if (shape.limit !== undefined) cursor = cursor.limit(shape.limit as number);
              return cursor.toArray();
            },
          };
          captured.push(query);
          const cursor = target.find(filter, options);
          const cursorProxy = new Proxy(cursor, {
            get(inner, name) {
              if (name === 'sort') {
                return (sort: Document) => ((shape.sort = sort), inner.sort(sort), cursorProxy);
              }
              if (name === 'limit') {
                return (limit: number) => ((shape.limit = limit), inner.limit(limit), cursorProxy);
              }
              const value: unknown = Reflect.get(inner, name, inner);
              return typeof value === 'function' ? value.bind(inner) : value;
            },
          });
          return cursorProxy;
        };
      }
      if (property === 'countDocuments') {
        return (filter: Document, options?: Document) => {
          captured.push({
            label: COUNT_LABELS[counts++] ?? `count ${counts}`,
            shape: { filter },
            run: () => target.countDocuments(filter, options),
          });
          return target.countDocuments(filter, options);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await listWebhooks(recording, params);
  return captured;
}

export interface RawListTimings {
  /**
   * The whole `listWebhooks` call from this process (its queries in parallel, as the api runs
   * them); empty unless asked for.
   */
  listMs: number[];
  /** Each of its queries alone, one at a time. */
  queries: { label: string; shape: Document; latenciesMs: number[] }[];
}

/**
 * Times the list's database work for `params` straight against the read-model collection, with
 * no HTTP, Nest or JSON in between: each of its queries alone, `repeats` times, and with `whole`
 * first `repeats` whole `listWebhooks` calls. Nothing is warmed up first: run it after the same
 * lists went through the api.
 */
export async function timeListQueries(
  collection: Collection<Document>,
  params: ListWebhooksParams,
  repeats: number,
  { whole = false }: { whole?: boolean } = {},
): Promise<RawListTimings> {
  const time = async (fn: () => Promise<unknown>): Promise<number[]> => {
    const latencies: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      await fn();
      latencies.push(performance.now() - started);
    }
    return latencies;
  };
  const listMs = whole ? await time(() => listWebhooks(collection, params)) : [];
  const queries: RawListTimings['queries'] = [];
  for (const query of await captureListQueries(collection, params)) {
    queries.push({ label: query.label, shape: query.shape, latenciesMs: await time(query.run) });
  }
  return { listMs, queries };
}
