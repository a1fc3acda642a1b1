// The promise a long-running command waits on: it settles at the first SIGINT or SIGTERM. The listeners stay for
// the life of the process, so a signal that comes twice (Ctrl-C in a terminal reaches both npm and the node
// process it runs, and npm passes it on again) cannot fall through to the default action and end the process
// before it has closed its servers and databases.
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolveStop) => {
    process.on("SIGINT", () => resolveStop());
    process.on("SIGTERM", () => resolveStop());
  });
}
