import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  type BulkWriteResult,
} from 'mongodb';
import { classifyWriteError } from './write-errors';

/** A bulk error as the driver reports it, with the given per-document errors. */
function bulkError(message: string, writeErrors: { code: number; index: number }[]) {
  return new MongoBulkWriteError(
    {
      message,
      code: writeErrors[0]?.code,
      writeErrors: writeErrors.map((error) => ({ ...error, errmsg: message })),
    } as never,
    {} as BulkWriteResult,
  );
}

describe('classifyWriteError', () => {
  it('given the database could not be reached (the driver wraps it in a bulk error without per-document errors), then it is transient, not a duplicate', () => {
    // What insertMany rejects with while the server refuses connections.
    const error = bulkError('connect ECONNREFUSED 127.0.0.1:27017', []);

    expect(classifyWriteError(error)).toBe('transient');
  });

  it('given every document refused as a duplicate, then duplicate', () => {
    expect(classifyWriteError(bulkError('E11000', [{ code: 11000, index: 0 }]))).toBe('duplicate');
  });

  it('given network and server-selection errors, then transient', () => {
    expect(
      classifyWriteError(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')),
    ).toBe('transient');
    expect(
      classifyWriteError(new MongoServerSelectionError('Server selection timed out', {} as never)),
    ).toBe('transient');
  });

  it('given a refusal of the document itself, then permanent; an unknown server error is unclear', () => {
    expect(classifyWriteError(new MongoServerError({ message: 'too large', code: 10334 }))).toBe(
      'permanent',
    );
    expect(classifyWriteError(new MongoServerError({ message: 'odd', code: 1 }))).toBe('unclear');
  });

  it('given a primary stepping down, then transient', () => {
    expect(classifyWriteError(new MongoServerError({ message: 'not primary', code: 10107 }))).toBe(
      'transient',
    );
  });
});
