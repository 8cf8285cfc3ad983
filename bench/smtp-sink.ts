// An SMTP server in its own process for the messaging benchmark (so the sender's CPU is measured alone): it counts the
// mails it receives and answers the parent's "count" message with the number.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 0,
  onData(stream, _s, cb) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      cb();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as AddressInfo).port }));
process.on('message', (m) => {
  if (m === 'count') process.send!({ received });
  if (m === 'stop') server.close(() => process.exit(0));
});
