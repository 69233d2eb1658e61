import net from 'net';

let applied = false;

/**
 * Turns Nagle's algorithm off on every TCP socket this process opens (BENCH_TCP_NODELAY=1).
 * neo4j-driver 5 leaves it on and writes a Bolt message in chunks of at most 1,400 bytes, one
 * socket write each: a query whose text and parameters pass that size waits for the server's
 * delayed ACK (40 ms on Linux) before its last chunk leaves. The driver has no option for it, so
 * the benchmark can show the difference by setting TCP_NODELAY where the driver configures its
 * sockets (it calls setKeepAlive on each new one). It affects the API and the baseline alike.
 */
export function forceTcpNoDelay(): void {
  if (applied) return;
  applied = true;
  const setKeepAlive = net.Socket.prototype.setKeepAlive;
  net.Socket.prototype.setKeepAlive = function (this: net.Socket, ...args: Parameters<net.Socket['setKeepAlive']>) {
    this.setNoDelay(true);
    return setKeepAlive.apply(this, args);
  };
}
