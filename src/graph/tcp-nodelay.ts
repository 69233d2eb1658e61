import net from 'net';

let applied = false;

/**
 * Turns Nagle's algorithm off on the driver's sockets. neo4j-driver 5 leaves it on and writes a
 * Bolt message in chunks of at most 1,400 bytes, one socket write each, so any query whose text
 * and parameters pass that size waits for the server's delayed ACK (about 40 ms on Linux) before
 * its last chunk leaves. The driver has no option for it; it does call setKeepAlive on every
 * socket it opens, so that is where TCP_NODELAY is set. Other sockets that call setKeepAlive
 * get it too, which only ever lowers their latency.
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
