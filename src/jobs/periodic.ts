/**
 * The loop every background job shares: run `tick` every `pollMs` (never two at once; the
 * next one is scheduled when the last settles), keep track of passes in progress — scheduled
 * or started by hand through `track` — and on `stop()` wait for them, at most
 * `stopTimeoutMs`, so a hung provider or mail server cannot hold shutdown.
 */
export interface PeriodicJob {
  /** Registers a pass started outside the schedule (runOnce) so stop() waits for it too. */
  track<T>(pass: Promise<T>): Promise<T>;
  /** True once stop() was called: long passes check it to hand work back early. */
  readonly stopped: boolean;
  /** Stops scheduling; resolves true when the passes in progress finished in time. */
  stop(): Promise<boolean>;
}

export function startPeriodic(opts: { pollMs: number; stopTimeoutMs: number; tick: () => Promise<unknown>; onError: (err: unknown) => void }): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(pass: Promise<T>): Promise<T> {
    inFlight.add(pass);
    const done = () => inFlight.delete(pass);
    pass.then(done, done);
    return pass;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void track(opts.tick()).catch(opts.onError).finally(schedule);
    }, opts.pollMs);
    // A pending poll never keeps the process alive on its own.
    timer.unref();
  }
  schedule();

  return {
    track,
    get stopped() {
      return stopped;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      let timeout: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled([...inFlight]).then(() => true),
        new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), opts.stopTimeoutMs))),
      ]);
      clearTimeout(timeout);
      return finished;
    },
  };
}
