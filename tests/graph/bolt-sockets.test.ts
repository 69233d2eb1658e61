import net from 'net';
import { once } from 'events';
import { tuneBoltSockets } from '../../src/graph/bolt-sockets';

// The driver gives no access to its sockets; this checks the mechanism on a socket configured the way the driver does it.
it('holds writes made in one tick and sends them together on the next', async () => {
  const received: Buffer[] = [];
  const server = net.createServer((s) => s.on('data', (d) => received.push(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  try {
    tuneBoltSockets();
    socket.setKeepAlive(true);
    socket.write(Buffer.from('BEGIN;'));
    socket.write(Buffer.from('RUN;'));
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBe(10);
    await new Promise((r) => process.nextTick(r));
    expect(socket.writableCorked).toBe(0);
    socket.write(Buffer.from('PULL;'));
    expect(socket.writableCorked).toBe(1);
    while (Buffer.concat(received).length < 15) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(received).toString()).toBe('BEGIN;RUN;PULL;');
  } finally {
    socket.destroy();
    server.close();
  }
});
