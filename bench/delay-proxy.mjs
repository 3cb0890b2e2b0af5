// A TCP proxy that holds every chunk for a fixed one-way delay in each direction: the network round trip between an
// instance and its database, simulated on one machine. (A network namespace with netem would be the faithful way; this
// kernel has no sch_netem, so the delay is added in user space.) Order is kept per direction; Node's timers have 1 ms
// granularity, so the round trip added is 2 x the one-way delay, rounded up to whole milliseconds each way.
// Usage: node bench/delay-proxy.mjs <listenPort> <targetHost> <targetPort> <oneWayMs>   (or import startDelayProxy)
import net from "node:net";
import { performance } from "node:perf_hooks";

/** Forwards `from` to `to`, each chunk released `delayMs` after it arrived. */
function pipeDelayed(from, to, delayMs) {
  const queue = [];
  let timer = null;
  const release = () => {
    timer = null;
    const now = performance.now();
    while (queue.length && queue[0].at <= now) {
      if (!to.write(queue.shift().chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    }
    if (queue.length) timer = setTimeout(release, Math.max(0, queue[0].at - performance.now()));
  };
  from.on("data", (chunk) => {
    queue.push({ at: performance.now() + delayMs, chunk });
    if (!timer) timer = setTimeout(release, delayMs);
  });
  from.on("end", () => {
    const finish = () => (queue.length ? setTimeout(finish, delayMs) : to.end());
    finish();
  });
  from.on("error", () => to.destroy());
}

/** Starts a proxy to target; resolves to { port, close() }. */
export function startDelayProxy({ listenPort = 0, targetHost = "127.0.0.1", targetPort, oneWayMs }) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: targetHost, port: targetPort }, () => upstream.setNoDelay(true));
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    pipeDelayed(client, upstream, oneWayMs);
    pipeDelayed(upstream, client, oneWayMs);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve({
      port: server.address().port,
      close: () => new Promise((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
    }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [listenPort, targetHost, targetPort, oneWayMs] = process.argv.slice(2);
  const proxy = await startDelayProxy({ listenPort: Number(listenPort), targetHost, targetPort: Number(targetPort), oneWayMs: Number(oneWayMs) });
  console.log(`delay proxy on 127.0.0.1:${proxy.port} → ${targetHost}:${targetPort}, ${oneWayMs} ms each way`);
}
