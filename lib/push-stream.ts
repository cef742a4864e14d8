/**
 * An async iterator fed from outside: `push` queues a value, `end` finishes it after what is
 * queued (or with an error), and a consumer that stops early (`return()`, as graphql-ws calls when
 * a client unsubscribes or goes away) runs `onReturn` once, so the producer lets go of what it
 * holds. Unlike a native async generator, `return()` settles a `next()` that is still waiting:
 * a generator parked on an await would take the return only after its next value, which for a
 * quiet stream is never.
 *
 * The queue is bounded. Values each mean "this changed, here is how it is now", so a value queued
 * about the same thing as an older one (same `keyOf`) replaces it: the newest says all the older
 * ones did. Past `maxQueued` different things, a stream with `onOverflow` calls it (it should end
 * the stream: dropping one would lose the only news of that thing); one without drops the oldest.
 */
export interface PushStreamOptions<T> {
  maxQueued?: number;
  keyOf?: (value: T) => unknown;
  onOverflow?: () => void;
}

export interface PushStream<T> {
  stream: AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };
  push(value: T): void;
  end(error?: unknown): void;
  readonly ended: boolean;
}

export function createPushStream<T>(onReturn: () => void, { maxQueued = 16, keyOf, onOverflow }: PushStreamOptions<T> = {}): PushStream<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failWaiting: ((error: unknown) => void) | undefined;
  let ended = false;
  let failure: unknown;
  let released = false;
  const done = (): IteratorResult<T> => ({ value: undefined, done: true });
  const release = () => {
    if (released) return;
    released = true;
    onReturn();
  };
  const settle = () => {
    if (!waiting) return;
    const resolve = waiting;
    const reject = failWaiting!;
    waiting = failWaiting = undefined;
    if (queue.length > 0) return resolve({ value: queue.shift()!, done: false });
    release();
    if (failure !== undefined) {
      const error = failure;
      failure = undefined;
      return reject(error);
    }
    resolve(done());
  };
  const stream: PushStream<T>['stream'] = {
    [Symbol.asyncIterator]() {
      return stream;
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended) {
        release();
        if (failure !== undefined) {
          const error = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        return Promise.resolve(done());
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return() {
      ended = true;
      failure = undefined;
      queue.length = 0;
      settle();
      release();
      return Promise.resolve(done());
    },
  };
  return {
    stream,
    push(value) {
      if (ended) return;
      if (keyOf) {
        const key = keyOf(value);
        const older = queue.findIndex((queued) => keyOf(queued) === key);
        if (older >= 0) queue.splice(older, 1);
      }
      queue.push(value);
      if (queue.length > maxQueued) {
        if (onOverflow) return onOverflow();
        queue.shift();
      }
      settle();
    },
    end(error) {
      if (ended) return;
      ended = true;
      failure = error;
      settle();
    },
    get ended() {
      return ended;
    },
  };
}
