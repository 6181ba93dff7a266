import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { infraSql } from './infra-instance';

// scripts/infra gives every index FerretDB makes a GIN "mirror" (docs/local-infrastructure.md):
// FerretDB's btree indexes cannot serve the only filter it passes to PostgreSQL, `_jsonb->$1 @> $2`.
// These tests look under the shared FerretDB (MONGODB_URI) with `scripts/infra sql`: a MongoDB
// database is a PostgreSQL schema of the same name there, a collection a table in it.

const suffix = randomBytes(4).toString('hex');
const DATABASE = `test_gin_mirrors_${suffix}`;
const DROPPED_DATABASE = `test_gin_mirrors_dropped_${suffix}`;
// Enough rows that PostgreSQL's planner prefers an index over reading the table, few enough to
// insert in well under a second.
const DOCUMENTS = 2_000;

interface Delivery {
  webhookId: string;
  status: string;
  tags: string[];
  attempt: { at: number };
  kind: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const lines = (output: string) => output.split('\n').filter((line) => line !== '');

let client: MongoClient;
let db: Db;

beforeAll(() => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the tests through jest (global setup)');
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  db = client.db(DATABASE);
});

afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await client
    ?.db(DROPPED_DATABASE)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
});

/** The PostgreSQL table of a collection, from FerretDB's metadata table in the database's schema. */
async function tableOf(database: string, collection: string): Promise<string> {
  const sql = `SELECT _jsonb->>'table' FROM ${ident(database)}._ferretdb_database_metadata
    WHERE _jsonb->>'_id' = ${literal(collection)};`;
  const output = await infraSql(sql).catch((error: Error) => {
    throw new Error(
      `${error.message}\nNo schema for ${database}: is MONGODB_URI the FerretDB of scripts/infra, ` +
        'run with the same LOCAL_POSTGRES_PORT / LOCAL_INFRA_INSTANCE?',
    );
  });
  const [table] = lines(output);
  if (!table) throw new Error(`no table for ${database}.${collection} in FerretDB's metadata`);
  return table;
}

/** The fields of a table's GIN mirror indexes, sorted. */
async function mirroredFields(database: string, table: string): Promise<string[]> {
  const output = await infraSql(`SELECT indexdef FROM pg_indexes
    WHERE schemaname = ${literal(database)} AND tablename = ${literal(table)}
      AND indexname LIKE 'ferretdb\\_gin\\_%';`);
  return lines(output)
    .map((definition) => {
      const field = definition.match(
        /USING gin \(\(\(_jsonb -> '(.*)'::text\)\) jsonb_path_ops\)( WITH \(.*\))?$/,
      );
      if (!field) throw new Error(`not a mirror: ${definition}`);
      return field[1].replace(/''/g, "'");
    })
    .sort();
}

/** The storage options of each GIN mirror of a table, by mirrored field. */
async function mirrorOptions(database: string, table: string): Promise<Record<string, string>> {
  const output = await infraSql(`SELECT substring(indexdef FROM '_jsonb -> ''(.*)''::text'),
      coalesce(array_to_string(c.reloptions, ','), '')
    FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname
      AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = i.schemaname)
    WHERE schemaname = ${literal(database)} AND tablename = ${literal(table)}
      AND indexname LIKE 'ferretdb\\_gin\\_%';`);
  return Object.fromEntries(lines(output).map((line) => line.split('|')));
}

/**
 * The plans PostgreSQL makes for the filter FerretDB sends for `{[field]: value}`: its own SQL, a
 * prepared statement with the field and the value as parameters, run as often as it takes the plan
 * cache to consider a generic plan (after 5). Also the session's plan_cache_mode.
 */
async function plansOf(table: string, field: string, value: string) {
  const execute = `EXPLAIN (COSTS OFF) EXECUTE by_field(${literal(field)}, ${literal(JSON.stringify(value))});`;
  const output = await infraSql(`SHOW plan_cache_mode;
    PREPARE by_field(text, jsonb) AS
      SELECT _jsonb FROM ${ident(DATABASE)}.${ident(table)} WHERE _jsonb->$1 @> $2;
    ${Array(6).fill(execute).join('\n')}`);
  const [planCacheMode, ...plan] = lines(output);
  return { planCacheMode, plan: plan.join('\n') };
}

function deliveries(count: number): Delivery[] {
  return Array.from({ length: count }, (_, i) => ({
    webhookId: `w${i % 200}`,
    status: i % 3 === 0 ? 'failed' : 'delivered',
    tags: [`t${i % 50}`, 'all'],
    attempt: { at: i },
    kind: `k${i % 10}`,
  }));
}

describe('GIN mirror indexes under FerretDB (scripts/infra)', () => {
  let table: string;

  beforeAll(async () => {
    const collection = db.collection<Delivery>('deliveries');
    await collection.createIndex({ webhookId: 1, 'attempt.at': -1, status: 1 });
    await collection.createIndex({ tags: 1 });
    await collection.insertMany(deliveries(DOCUMENTS));
    table = await tableOf(DATABASE, 'deliveries');
    // Statistics, as autovacuum would gather them a while later.
    await infraSql(`ANALYZE ${ident(DATABASE)}.${ident(table)};`);
  });

  it('Given a collection with indexes, then _id and each top-level field of them has a GIN mirror, a nested field none', async () => {
    expect(await mirroredFields(DATABASE, table)).toEqual(['_id', 'status', 'tags', 'webhookId']);
  });

  it('When FerretDB filters on an indexed field, then PostgreSQL plans it on the mirror, also for a value in an array', async () => {
    const collection = db.collection<Delivery>('deliveries');
    expect(await collection.countDocuments({ webhookId: 'w7' })).toBe(DOCUMENTS / 200);
    expect(await collection.countDocuments({ tags: 't7' })).toBe(DOCUMENTS / 50);

    for (const [field, value] of [
      ['webhookId', 'w7'],
      ['tags', 't7'],
      ['_id', 'not-an-id'],
    ]) {
      const { planCacheMode, plan } = await plansOf(table, field, value);
      expect(planCacheMode).toBe('force_custom_plan');
      expect(plan).not.toMatch(/Seq Scan/);
      // Every one of the six executions, the last ones included, used the mirror.
      expect(plan.match(/Bitmap Index Scan on ferretdb_gin_\w+/g)).toHaveLength(6);
      expect(plan).toContain(`((_jsonb -> '${field}'::text) @> '"${value}"'::jsonb)`);
    }
  });

  it('Given mirrors, then none has a pending list: every insert goes into the index itself', async () => {
    // With GIN's default fastupdate, inserts pile up in a pending list (up to 4 MB) that every
    // query scans until a vacuum merges it: under a steady stream of inserts an equality took
    // 6 ms instead of 0.2 ms, on each of a list's round trips.
    expect(await mirrorOptions(DATABASE, table)).toEqual({
      _id: 'fastupdate=off',
      status: 'fastupdate=off',
      tags: 'fastupdate=off',
      webhookId: 'fastupdate=off',
    });
  });

  it('When a field has no index, then PostgreSQL still reads the whole table for it (no mirror)', async () => {
    const { plan } = await plansOf(table, 'kind', 'k3');
    expect(plan.match(/Seq Scan/g)).toHaveLength(6);
  });

  it('When an index is created, dropped and its collection dropped, then FerretDB does each as before', async () => {
    const collection = db.collection<Delivery>('deliveries');
    expect(await collection.createIndex({ kind: 1 })).toBe('kind_1');
    expect(await mirroredFields(DATABASE, table)).toContain('kind');
    expect(await collection.countDocuments({ kind: 'k3' })).toBe(DOCUMENTS / 10);

    // A unique index the data breaks still fails, with PostgreSQL's own error (FerretDB reports
    // it as an InternalError): the trigger hides no error, and the index is not there.
    await expect(collection.createIndex({ status: 1 }, { unique: true })).rejects.toThrow(
      /could not create unique index/,
    );

    await collection.dropIndex('kind_1');
    expect((await collection.indexes()).map((index) => index.name).sort()).toEqual([
      '_id_',
      'tags_1',
      'webhookId_1_attempt.at_-1_status_1',
    ]);
    expect(await collection.countDocuments({ kind: 'k3' })).toBe(DOCUMENTS / 10);
    // The mirror stays (it only costs writes) until the table goes.
    expect(await mirroredFields(DATABASE, table)).toContain('kind');

    expect(await collection.drop()).toBe(true);
    expect(await db.listCollections({ name: 'deliveries' }).toArray()).toEqual([]);
    expect(
      await infraSql(`SELECT to_regclass(${literal(`${ident(DATABASE)}.${ident(table)}`)});`),
    ).toBe('\n');

    // A collection made by createIndex alone (FerretDB creates it, then its _id index).
    const again = db.collection<Delivery>('deliveries_again');
    await again.createIndex({ status: 1 });
    await again.insertOne(deliveries(1)[0]);
    expect(await again.countDocuments({ status: 'failed' })).toBe(1);
    expect(await mirroredFields(DATABASE, await tableOf(DATABASE, 'deliveries_again'))).toEqual([
      '_id',
      'status',
    ]);
  });

  it('Given an index whose mirror is missing (a database from before), when backfilled, then it has one again', async () => {
    const collection = db.collection('backfilled');
    await collection.createIndex({ "it's": 1 });
    const backfilled = await tableOf(DATABASE, 'backfilled');
    expect(await mirroredFields(DATABASE, backfilled)).toEqual(['_id', "it's"]);

    await infraSql(`DO $$ DECLARE name text; BEGIN
      FOR name IN SELECT indexname FROM pg_indexes WHERE schemaname = ${literal(DATABASE)}
        AND tablename = ${literal(backfilled)} AND indexname LIKE 'ferretdb\\_gin\\_%'
      LOOP EXECUTE format('DROP INDEX %I.%I', ${literal(DATABASE)}, name); END LOOP; END $$;`);
    expect(await mirroredFields(DATABASE, backfilled)).toEqual([]);

    // What `scripts/infra start` runs for the whole database before FerretDB starts.
    expect(await infraSql(`SELECT ferretdb_gin_mirror_backfill(${literal(DATABASE)});`)).toBe(
      '2\n',
    );
    expect(await mirroredFields(DATABASE, backfilled)).toEqual(['_id', "it's"]);
  });

  it('Given a mirror made by an earlier version (with a pending list), when backfilled, then its pending list is merged and turned off', async () => {
    const collection = db.collection('earlier');
    await collection.createIndex({ field: 1 });
    const earlier = await tableOf(DATABASE, 'earlier');
    await infraSql(`DO $$ DECLARE name text; BEGIN
      FOR name IN SELECT indexname FROM pg_indexes WHERE schemaname = ${literal(DATABASE)}
        AND tablename = ${literal(earlier)} AND indexname LIKE 'ferretdb\\_gin\\_%'
      LOOP EXECUTE format('ALTER INDEX %I.%I RESET (fastupdate)', ${literal(DATABASE)}, name); END LOOP; END $$;`);
    await collection.insertMany(Array.from({ length: 200 }, (_, i) => ({ field: `f${i % 7}` })));
    expect(await mirrorOptions(DATABASE, earlier)).toEqual({ _id: '', field: '' });

    await infraSql(`SELECT ferretdb_gin_mirror_backfill(${literal(DATABASE)});`);
    expect(await mirrorOptions(DATABASE, earlier)).toEqual({
      _id: 'fastupdate=off',
      field: 'fastupdate=off',
    });
    expect(await collection.countDocuments({ field: 'f3' })).toBe(29);
  });

  it('When a database is dropped, then FerretDB drops it, mirrors and all', async () => {
    const dropped = client.db(DROPPED_DATABASE);
    await dropped.collection('some').createIndex({ a: 1 });
    expect(await mirroredFields(DROPPED_DATABASE, await tableOf(DROPPED_DATABASE, 'some'))).toEqual(
      ['_id', 'a'],
    );

    expect(await dropped.dropDatabase()).toBe(true);
    expect((await client.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain(
      DROPPED_DATABASE,
    );
    expect(
      await infraSql(
        `SELECT count(*) FROM pg_namespace WHERE nspname = ${literal(DROPPED_DATABASE)};`,
      ),
    ).toBe('0\n');
  });
});
