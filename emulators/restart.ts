import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * The listener side of an emulator restart (emulators/start.ts): it goes down the way a crashed
 * upstream does, every open connection dropped at once, and comes back on the same port. A fastify
 * app cannot listen again once closed, so the caller builds a fresh app around the kept records.
 */

/** The loopback port an app listens on. */
export function portOf(app: FastifyInstance): number {
  return (app.server.address() as AddressInfo).port;
}

/** Apps closed by `closeAbruptly`: their cut requests must not go on to their handlers. */
const crashed = new WeakSet<FastifyInstance>();

/** Whether `app` was closed by `closeAbruptly`, to be followed by a fresh app around its records. */
export function closedForRestart(app: FastifyInstance): boolean {
  return crashed.has(app);
}

/**
 * Stops accepting and destroys every connection, idle or in the middle of a request, before
 * fastify's own close runs its hooks: those release answers held by an injected hang, and a crashed
 * server sends no held answer. A request whose handler already ran keeps its effect (its client
 * sees a reset, as after a real crash right after the commit); one still in front of its handler
 * never reaches it (`dropRequestsCutByACrash`).
 */
export async function closeAbruptly(app: FastifyInstance): Promise<void> {
  crashed.add(app);
  app.server.close();
  app.server.closeAllConnections();
  await app.close();
}

/**
 * A request cut by `closeAbruptly` while still in a hook (an injected latency, say) stops before its
 * handler: a server that went down would not have carried it out. A body still to be read fails on
 * its own; this covers requests without one. Requests whose client merely gave up are left alone:
 * a live server does finish those. Register it before the app is ready.
 */
export function dropRequestsCutByACrash(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (crashed.has(app) && request.raw.socket.destroyed) reply.hijack();
  });
}

const PORT_RETRY_MS = 200;
const PORT_DEADLINE_MS = 30_000;

/**
 * Listens on `port` again. A port first chosen by the system (port 0) lies in the ephemeral range,
 * so while nothing listened an outgoing connection may have taken it as its local end: wait for it
 * to end rather than move to another port the clients do not know.
 */
export async function listenAgain(app: FastifyInstance, port: number): Promise<string> {
  const deadline = Date.now() + PORT_DEADLINE_MS;
  for (;;) {
    try {
      return await app.listen({ host: '127.0.0.1', port });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, PORT_RETRY_MS));
    }
  }
}
