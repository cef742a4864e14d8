import { createPushStream } from '../push-stream.js';

interface Change {
  id: string;
  state: number;
}

async function drain<T>(stream: AsyncIterable<T>): Promise<{ values: T[]; error?: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of stream) values.push(value);
    return { values };
  } catch (error) {
    return { values, error };
  }
}

describe('a push stream whose reader falls behind', () => {
  it('keeps only the newest value about each thing', async () => {
    const { stream, push, end } = createPushStream<Change>(() => undefined, { maxQueued: 4, keyOf: (change) => change.id });
    push({ id: 'a', state: 1 });
    push({ id: 'b', state: 1 });
    push({ id: 'a', state: 2 });
    push({ id: 'a', state: 3 });
    end();
    expect((await drain(stream)).values).toEqual([
      { id: 'b', state: 1 },
      { id: 'a', state: 3 },
    ]);
  });

  it('calls onOverflow, dropping nothing, when more things wait than it keeps', async () => {
    let overflowed = 0;
    const { stream, push, end } = createPushStream<Change>(() => undefined, {
      maxQueued: 2,
      keyOf: (change) => change.id,
      onOverflow: () => {
        overflowed += 1;
        end(new Error('too slow'));
      },
    });
    for (const id of ['a', 'b', 'c']) push({ id, state: 1 });
    const { values, error } = await drain(stream);
    expect(overflowed).toBe(1);
    expect(values.map((change) => change.id)).toEqual(['a', 'b', 'c']);
    expect(error).toEqual(new Error('too slow'));
  });

  it('without onOverflow drops the oldest, and without keyOf keeps every value', async () => {
    const { stream, push, end } = createPushStream<number>(() => undefined, { maxQueued: 2 });
    for (const value of [1, 1, 2, 3]) push(value);
    end();
    expect((await drain(stream)).values).toEqual([2, 3]);
  });
});
