import { randomBytes } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';

/**
 * A connection to a fresh, uniquely named database on the real server, so test files can run in
 * parallel without seeing each other's data. Drop it in afterAll.
 */
export async function openTestDatabase(label: string): Promise<Connection> {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: run the tests through jest (global setup)');
  const name = `test_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  const connection = mongoose.createConnection(withDatabase(base, name), {
    autoIndex: false,
    maxPoolSize: 20,
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  return connection;
}

export async function dropTestDatabase(connection: Connection | undefined): Promise<void> {
  if (!connection) return;
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
}

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}
