import { MAX_RETRY_BATCH, retryBatchSize, runBatches, type BatchAnswer } from './batches';

/** A fake bulk route: answers from a script, recording the cursor each call was given. */
function scripted<C>(answers: (BatchAnswer<C> | Error)[]) {
  const cursors: (C | undefined)[] = [];
  const call = (cursor: C | undefined) => {
    cursors.push(cursor);
    const answer = answers[cursors.length - 1];
    if (!answer) throw new Error('called once too often');
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { call, cursors };
}

describe('running a bulk action in bounded calls', () => {
  it('given a route that pages by cursor, when run, then each call gets the last cursor until there is none, and the totals add up', async () => {
    const route = scripted<string>([
      { done: 100, next: 'c1' },
      { done: 100, next: 'c2' },
      { done: 7, next: null },
    ]);
    const progress: number[] = [];

    const outcome = await runBatches(route.call, { onProgress: (done) => progress.push(done) });

    expect(route.cursors).toEqual([undefined, 'c1', 'c2']);
    expect(progress).toEqual([100, 200, 207]);
    expect(outcome).toEqual({ done: 207, calls: 3, ended: 'finished' });
  });

  it('given a recover that is capped twice, when run, then it is called again while capped', async () => {
    const route = scripted<true>([
      { done: 10_000, next: true },
      { done: 10_000, next: true },
      { done: 3, next: null },
    ]);
    expect(await runBatches(route.call)).toEqual({ done: 20_003, calls: 3, ended: 'finished' });
  });

  it('given a cancel during a call, when that call answers, then what it did counts and no further call is made', async () => {
    let cancelled = false;
    const route = scripted<string>([
      { done: 50, next: 'c1' },
      { done: 50, next: 'c2' },
    ]);
    const call = async (cursor: string | undefined) => {
      const answer = await route.call(cursor);
      if (cursor === 'c1') cancelled = true; // the user clicks Cancel while the 2nd call is on its way
      return answer;
    };

    const outcome = await runBatches(call, { isCancelled: () => cancelled });

    expect(outcome).toEqual({ done: 100, calls: 2, ended: 'cancelled' });
    expect(route.cursors).toEqual([undefined, 'c1']);
  });

  it('given a call that did nothing and hands back the cursor it got, then the loop stops instead of spinning', async () => {
    const route = scripted<string>([
      { done: 5, next: 'c1' },
      { done: 0, next: 'c1' },
    ]);
    expect(await runBatches(route.call)).toEqual({ done: 5, calls: 2, ended: 'stalled' });
    const recover = scripted<true>([
      { done: 0, next: true },
      { done: 0, next: true },
    ]);
    expect(await runBatches(recover.call)).toEqual({ done: 0, calls: 2, ended: 'stalled' });
  });

  it('given a call that did nothing but moved the cursor on (a stretch with no failures), then the loop goes on', async () => {
    const route = scripted<string>([
      { done: 0, next: 'c1' },
      { done: 0, next: 'c2' },
      { done: 4, next: null },
    ]);
    expect(await runBatches(route.call)).toEqual({ done: 4, calls: 3, ended: 'finished' });
  });

  it('given a bound on the calls, then no more are made than it allows', async () => {
    const route = scripted<string>([
      { done: 1, next: 'a' },
      { done: 1, next: 'b' },
    ]);
    expect(await runBatches(route.call, { maxCalls: 2 })).toEqual({
      done: 2,
      calls: 2,
      ended: 'stalled',
    });
  });

  it('given a call that fails, then the outcome keeps the total so far and the error', async () => {
    const refused = new Error('403 forbidden');
    const route = scripted<string>([{ done: 30, next: 'c1' }, refused]);

    const outcome = await runBatches(route.call);

    expect(outcome).toEqual({ done: 30, calls: 1, ended: 'failed', error: refused });
  });
});

describe('the size of a bulk retry call', () => {
  it('given a count, then a call sends about a tenth of it, at least one and at most the bound', () => {
    expect(retryBatchSize(0)).toBe(1);
    expect(retryBatchSize(3)).toBe(1);
    expect(retryBatchSize(25)).toBe(3);
    expect(retryBatchSize(1000)).toBe(MAX_RETRY_BATCH);
    expect(retryBatchSize(10_000)).toBe(MAX_RETRY_BATCH);
  });
});
