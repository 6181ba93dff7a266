import { BSON } from 'mongodb';
import type { Connection } from 'mongoose';

/** What one collection holds, in bytes. */
export interface CollectionBytes {
  name: string;
  /** The documents as written: their BSON, summed over every document the collection holds. */
  documentBytes: number;
  /** The table as the database sizes it (collStats `size`). */
  tableBytes: number;
  indexBytes: number;
}

export interface StoredBytes {
  documentBytes: number;
  tableBytes: number;
  indexBytes: number;
  byCollection: CollectionBytes[];
}

/** The collections a delivery writes to. */
function isDeliveryCollection(name: string): boolean {
  return name.startsWith('deliver') || name === 'platform_events' || name === 'endpoint_failures';
}

/**
 * What the delivery collections hold, two ways. The documents' own BSON, read back and summed, is
 * what the documents kept were written as, the same on any database (a version a rewrite replaced
 * is not in it). The database's `collStats` is what it keeps: on
 * FerretDB the PostgreSQL tables with the row versions updates leave until vacuumed, but without
 * the values PostgreSQL moves out of line (TOAST: any document over about 2 kB, such as an event
 * body of that size), so it undercounts large documents; on MongoDB, the BSON again.
 */
export async function storedBytes(connection: Connection): Promise<StoredBytes> {
  const db = connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter(isDeliveryCollection);
  const byCollection: CollectionBytes[] = [];
  for (const name of names) {
    const stats = (await db.command({ collStats: name })) as {
      size?: number;
      totalIndexSize?: number;
    };
    let documentBytes = 0;
    for await (const document of db.collection(name).find({}, { batchSize: 2_000 })) {
      documentBytes += BSON.calculateObjectSize(document);
    }
    byCollection.push({
      name,
      documentBytes,
      tableBytes: stats.size ?? 0,
      indexBytes: stats.totalIndexSize ?? 0,
    });
  }
  byCollection.sort((a, b) => b.documentBytes - a.documentBytes);
  const sum = (pick: (c: CollectionBytes) => number) =>
    byCollection.reduce((total, c) => total + pick(c), 0);
  return {
    documentBytes: sum((c) => c.documentBytes),
    tableBytes: sum((c) => c.tableBytes),
    indexBytes: sum((c) => c.indexBytes),
    byCollection,
  };
}
