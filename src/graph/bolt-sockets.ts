import net from 'net';

// Global symbols: a second copy of this module (test runners load one per file) must see the first's work.
const PATCHED = Symbol.for('cmdb.boltSockets.patched');
const CORKED = Symbol.for('cmdb.boltSockets.corked');

/**
 * Tunes the driver's sockets for many small request-response exchanges on one connection.
 *
 * - TCP_NODELAY: neo4j-driver 5 leaves Nagle's algorithm on and writes a Bolt message in chunks of
 *   at most 1,400 bytes, so any query whose text and parameters pass that size waits for the
 *   server's delayed ACK (about 40 ms on Linux) before its last chunk leaves.
 * - Writes made in one tick leave in one system call: with Nagle off, each chunk and each
 *   pipelined message (BEGIN, RUN, PULL) would otherwise be its own write, and on a local server
 *   every write costs the receiving side's network processing too.
 *
 * The driver has no option for either; it calls setKeepAlive on every socket it opens, so that is
 * where both are set. Other sockets that call setKeepAlive (HTTP clients) get the same, which only
 * lowers their latency.
 */
export function tuneBoltSockets(): void {
  const proto = net.Socket.prototype as net.Socket & { [PATCHED]?: boolean };
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  const setKeepAlive = proto.setKeepAlive;
  proto.setKeepAlive = function (this: net.Socket, ...args: Parameters<net.Socket['setKeepAlive']>) {
    this.setNoDelay(true);
    corkPerTick(this);
    return setKeepAlive.apply(this, args);
  };
}

function corkPerTick(socket: net.Socket & { [CORKED]?: boolean }): void {
  if (socket[CORKED] !== undefined) return;
  socket[CORKED] = false;
  const write = socket.write;
  const uncork = () => {
    socket[CORKED] = false;
    socket.uncork();
  };
  socket.write = function (this: net.Socket, ...args: unknown[]) {
    if (!socket[CORKED]) {
      socket[CORKED] = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as net.Socket['write'];
}
