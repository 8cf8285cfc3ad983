// Starts bench/smtp-sink.ts in its own process (as a real mail server would be) and talks to it: its port, its pid
// (for CPU accounting), how many mails it has received, stop.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export async function startSmtpSink() {
  const child = fork(fileURLToPath(new URL('./smtp-sink.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
  const count = () =>
    new Promise<number>((r) => {
      child.once('message', (m: { received: number }) => r(m.received));
      child.send('count');
    });
  return { port, pid: child.pid!, count, stop: () => child.send('stop') };
}
