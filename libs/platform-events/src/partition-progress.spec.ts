import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  it('given nothing done, then nothing is committable', () => {
    const progress = new PartitionProgress();
    progress.track('10');
    expect(progress.pendingCommit()).toBeNull();
    expect(progress.inFlight).toBe(1);
  });

  it('given later messages done first, then the commit waits for the earliest one', () => {
    const progress = new PartitionProgress();
    const [first, second, third] = ['10', '11', '12'].map((offset) => progress.track(offset));
    third();
    second();
    expect(progress.pendingCommit()).toBeNull();
    first();
    expect(progress.pendingCommit()).toBe('13');
    expect(progress.inFlight).toBe(0);
  });

  it('given a gap still in flight, then the commit stops right before it', () => {
    const progress = new PartitionProgress();
    const done = ['5', '6', '7', '8'].map((offset) => progress.track(offset));
    done[0]();
    done[1]();
    done[3]();
    expect(progress.pendingCommit()).toBe('7');
  });

  it('given a commit made, then the same offset is not offered again until it moves', () => {
    const progress = new PartitionProgress();
    const a = progress.track('1');
    const b = progress.track('2');
    a();
    progress.markCommitted(progress.pendingCommit() as string);
    expect(progress.pendingCommit()).toBeNull();
    b();
    b();
    expect(progress.pendingCommit()).toBe('3');
  });

  it('keeps working across many messages (the finished prefix is dropped)', () => {
    const progress = new PartitionProgress();
    for (let offset = 0; offset < 5000; offset++) progress.track(String(offset))();
    expect(progress.pendingCommit()).toBe('5000');
    expect(progress.inFlight).toBe(0);
  });

  it('given a message fetched again after a failed batch, when tracked twice, then finishing it once lets the partition commit', () => {
    const progress = new PartitionProgress();
    const first = progress.track('7');
    progress.track('8')();
    // The batch failed before 7 was done; kafkajs fetches 7 (and 8) again.
    const again = progress.track('7');
    progress.track('8');

    again();

    expect(progress.pendingCommit()).toBe('9');
    expect(progress.inFlight).toBe(0);
    first();
    expect(progress.pendingCommit()).toBe('9');
  });

  it('given an offset already committed, when it is read again, then it changes nothing', () => {
    const progress = new PartitionProgress();
    progress.track('3')();
    progress.markCommitted(progress.pendingCommit() as string);

    progress.track('3')();

    expect(progress.pendingCommit()).toBeNull();
    expect(progress.inFlight).toBe(0);
  });
});
