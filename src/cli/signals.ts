/**
 * Waiting for SIGINT or SIGTERM while a server runs: the first signal asks for a graceful stop,
 * a second one exits at once (a stop that hangs can still be cut short).
 */
export interface SignalWait {
  /** The first signal received. */
  stopping: Promise<NodeJS.Signals>;
  /** Stop listening for signals. */
  dispose(): void;
}

export function untilSignal(onSecond: (signal: NodeJS.Signals) => void): SignalWait {
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopping = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) return signalled(signal);
    onSecond(signal);
    process.exit(1);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stopping,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
