// Shared by scripts/e2e.js and test/bench/bench.ts.
const net = require('node:net');

/** Resolves once nothing accepts connections on the port (a previous run's backend may linger). */
async function waitForPortFree(port, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const inUse = await new Promise(resolve => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!inUse) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `Port ${port} is still in use after ${
      timeoutMs / 1000
    }s: stop whatever listens there`,
  );
}

module.exports = { waitForPortFree };
