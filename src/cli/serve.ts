// `puente serve`: runs one node's API until SIGINT or SIGTERM, then closes the server and database cleanly.
import { buildServer } from "../api/server.ts";
import { openNode } from "../node/node.ts";
import { stopSignal } from "../node/stop-signal.ts";

export async function serveNode(dir: string, portOverride?: number): Promise<void> {
  const node = await openNode(dir);
  const app = await buildServer(node, { logger: { level: process.env.LOG_LEVEL ?? "info" } });
  const { host, port } = node.config.listen;
  const address = await app.listen({ host, port: portOverride ?? port });
  node.startBackgroundWork();
  console.log(`Node ${node.config.nodeId} (${node.config.agency}) listening on ${address}`);
  await stopSignal();
  await app.close();
  await node.close();
}
