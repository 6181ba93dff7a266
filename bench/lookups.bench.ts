/**
 * Equality lookups benchmark: prints figures, asserts nothing.
 *
 *   npm run bench:lookups                                   # local FerretDB (scripts/infra)
 *   BENCH_DOCUMENTS=20000 npm run bench:lookups             # a shorter run
 *   MONGODB_URI=mongodb://127.0.0.1:27019/ npm run bench:lookups
 *
 * Into a fresh, uniquely named database (dropped at the end, also on failure), with an index on
 * `webhookId` declared first as the apps do, inserts BENCH_DOCUMENTS small documents (about 100
 * bytes: 1,000 webhook ids, 100 documents each) and times, through the mongodb driver, one query at
 * a time after a few unmeasured ones:
 *   - `findOne({_id})` of a random inserted document;
 *   - `find({webhookId}).limit(20)` of a random webhook id (20 of its 100 documents).
 * On FerretDB with PostgreSQL these are the equalities that the GIN mirror indexes of scripts/infra
 * serve (docs/local-infrastructure.md); on MongoDB its own indexes do.
 *
 * Settings (env): BENCH_DOCUMENTS (100000), BENCH_QUERIES (50 of each kind).
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MongoClient, ObjectId } from 'mongodb';
import { resolveMongoUri, uniqueDatabaseName } from './support/database';
import {
  envInt,
  formatCount,
  formatLatencies,
  formatMs,
  formatSeconds,
  summarize,
} from './support/stats';

const DOCUMENTS = envInt('BENCH_DOCUMENTS', 100_000);
const QUERIES = envInt('BENCH_QUERIES', 50);
const WEBHOOKS = 1_000;
const BATCH = 1_000;
const WARM_UP = 5;

interface Doc {
  _id: ObjectId;
  webhookId: string;
  status: string;
  attempt: number;
  at: Date;
}

async function measure(what: string, query: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < WARM_UP; i++) await query();
  const latencies: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const started = performance.now();
    await query();
    latencies.push(performance.now() - started);
  }
  const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
  console.log(
    `${what}: mean ${formatMs(mean)}, ${formatLatencies(summarize(latencies))} (${QUERIES} queries)`,
  );
}

async function main(): Promise<void> {
  const uri = resolveMongoUri();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  const db = client.db(uniqueDatabaseName('bench_lookups'));
  try {
    const docs = db.collection<Doc>('docs');
    await docs.createIndex({ webhookId: 1 });

    const ids: ObjectId[] = [];
    const started = performance.now();
    for (let offset = 0; offset < DOCUMENTS; offset += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, DOCUMENTS - offset) }, (_, i): Doc => {
        const n = offset + i;
        return {
          _id: new ObjectId(),
          webhookId: `wh_${n % WEBHOOKS}`,
          status: n % 7 === 0 ? 'failed' : 'delivered',
          attempt: n % 5,
          at: new Date(1_700_000_000_000 + n * 1000),
        };
      });
      await docs.insertMany(batch, { ordered: false });
      for (const doc of batch) ids.push(doc._id);
    }
    console.log(
      `${db.databaseName}: ${formatCount(DOCUMENTS)} documents inserted in ${formatSeconds(performance.now() - started)}`,
    );

    await measure('findOne({_id})', async () => {
      const found = await docs.findOne({ _id: ids[randomInt(ids.length)] });
      if (!found) throw new Error('an inserted document was not found');
    });
    await measure('find({webhookId}).limit(20)', async () => {
      const found = await docs
        .find({ webhookId: `wh_${randomInt(WEBHOOKS)}` })
        .limit(20)
        .toArray();
      if (found.length !== Math.min(20, DOCUMENTS / WEBHOOKS)) {
        throw new Error(`expected 20 documents, got ${found.length}`);
      }
    });
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
