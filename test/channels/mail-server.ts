// A real SMTP server on a local port (smtp-server): refuses some recipients the way real servers do, keeps what it accepted.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

export interface MailServer {
  port: number;
  received: Received[];
  /** Connections opened and closed so far. */
  connections(): number;
  closed(): number;
  close(): Promise<void>;
}

/** Accepts user "shop" with password "pw-123"; refuses gone@example.test (550 5.1.1) and busy@example.test (451). */
export async function mailServer(): Promise<MailServer> {
  const received: Received[] = [];
  let connections = 0;
  let closed = 0;
  const refusals: Record<string, [number, string]> = {
    'gone@example.test': [550, '5.1.1 <gone@example.test>: user unknown'],
    'busy@example.test': [451, '4.7.1 greylisted, try again later'],
  };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onClose() {
      closed++;
    },
    onAuth(auth, _session, cb) {
      if (auth.username === 'shop' && auth.password === 'pw-123') return cb(null, { user: 'shop' });
      cb(Object.assign(new Error('5.7.8 bad credentials'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const refusal = refusals[address.address];
      if (refusal) return cb(Object.assign(new Error(refusal[1]), { responseCode: refusal[0] }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    connections: () => connections,
    closed: () => closed,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
