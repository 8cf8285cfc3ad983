// A local SMTP server (smtp-server) for tests that send mail: keeps every mail's recipients and raw text, and can
// refuse a recipient once with a given code (451 = try later, 550 = no such mailbox), as real servers do, or take a
// recipient's whole mail and then drop the connection without answering (`drop`: a server that crashed after queueing
// it, so the sender cannot know whether it went out).
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string;
  raw: string;
}

export async function smtpServer() {
  const mails: Mail[] = [];
  const reject = new Map<string, number>();
  const drop = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const code = reject.get(address.address);
      if (!code) return cb();
      reject.delete(address.address);
      cb(Object.assign(new Error(code >= 500 ? 'No such user' : 'Try again later'), { responseCode: code }));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c) => (raw += c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push({ to: to.join(','), raw });
        if (!to.some((a) => drop.has(a))) return cb();
        // smtp-server keeps its connections (with their sockets) in `connections`.
        const connections = (server as unknown as { connections: Set<{ session: { id: string }; _socket: Socket }> })
          .connections;
        for (const c of connections) if (c.session.id === session.id) c._socket.destroy();
      });
    },
  });
  // A sender that dies mid-conversation (a killed worker) resets its connection: that is its problem, not the server's.
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    mails,
    reject,
    drop,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
