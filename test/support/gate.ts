/** A hold a test puts on a running service: while closed, whatever waits on it waits. */
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  waiting = 0;

  close(): void {
    this.opened = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  readonly wait = async (): Promise<void> => {
    this.waiting += 1;
    try {
      await this.opened;
    } finally {
      this.waiting -= 1;
    }
  };
}
