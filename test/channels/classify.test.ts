// Error classification: which provider answers are worth retrying, how long to wait, and which ones suppress the address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyNetworkError, classifyStatus, parseRetryAfter } from '../../src/channels/classify.ts';
import { classifySmtpError } from '../../src/channels/smtp-errors.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('HTTP statuses', () => {
  const table: [number, boolean][] = [
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [410, false],
    [413, false],
    [422, false],
    [425, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
  ];
  for (const [status, retryable] of table) {
    it(`${status} is ${retryable ? 'retryable' : 'permanent'}`, () => {
      assert.equal(classifyStatus(status).retryable, retryable);
    });
  }

  it('a suppression applies to permanent failures only', () => {
    assert.equal(classifyStatus(410, { suppress: 'unsubscribed' }).suppress, 'unsubscribed');
    assert.equal(classifyStatus(503, { suppress: 'unsubscribed' }).suppress, undefined);
  });

  it('a retryable answer carries the wait the provider asked for', () => {
    assert.equal(classifyStatus(429, { retryAfter: '7' }).retryAfterMs, 7000);
    assert.equal(classifyStatus(503, { retryAfter: 'Sun, 01 Mar 2026 12:01:00 GMT', now: NOW }).retryAfterMs, 60_000);
    assert.equal(classifyStatus(429, { retryAfterMs: 3000, retryAfter: '7' }).retryAfterMs, 3000);
  });
});

describe('Retry-After', () => {
  const table: [string | null, number | undefined][] = [
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1500],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0], // a date in the past: no wait
    ['soon', undefined],
    [null, undefined],
  ];
  for (const [value, ms] of table)
    it(`${JSON.stringify(value)} → ${ms}`, () => assert.equal(parseRetryAfter(value, NOW), ms));
});

describe('network errors', () => {
  const withCode = (code: string) =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) });
  const table: [string, unknown, boolean][] = [
    [
      'a timeout (AbortSignal.timeout)',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      true,
    ],
    ['connection refused', withCode('ECONNREFUSED'), true],
    ['connection reset', withCode('ECONNRESET'), true],
    ['DNS lookup failed for now', withCode('EAI_AGAIN'), true],
    ['a programming error', new RangeError('bad value'), false],
  ];
  for (const [name, err, retryable] of table)
    it(`${name}: ${retryable ? 'retryable' : 'permanent'}`, () =>
      assert.equal(classifyNetworkError(err).retryable, retryable));

  // After the whole request was handed to the network, the provider may have acted on it.
  const afterSending: [string, unknown, boolean][] = [
    [
      'a timeout after the request was sent',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      true,
    ],
    ['the connection reset after the request was sent', withCode('ECONNRESET'), true],
    ['a programming error is no doubt about delivery', new RangeError('bad value'), false],
  ];
  for (const [name, err, inDoubt] of afterSending)
    it(`${name}: ${inDoubt ? 'in doubt' : 'not in doubt'}`, () =>
      assert.equal(classifyNetworkError(err, true).inDoubt === true, inDoubt));
  it('the same timeout before the request was sent is a plain retry', () =>
    assert.equal(classifyNetworkError(table[0]![1]).inDoubt, undefined));
});

describe('SMTP replies', () => {
  const table: { case: string; err: Parameters<typeof classifySmtpError>[0]; retryable: boolean; suppress?: string }[] =
    [
      {
        case: '550 5.1.1 at RCPT TO: no such mailbox',
        err: { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@y>: user unknown', command: 'RCPT TO' },
        retryable: false,
        suppress: 'hard_bounce',
      },
      {
        case: '550 without an enhanced code at RCPT TO',
        err: { code: 'EENVELOPE', responseCode: 550, response: '550 no such user', command: 'RCPT TO' },
        retryable: false,
        suppress: 'hard_bounce',
      },
      {
        case: '553 mailbox name not allowed',
        err: { code: 'EENVELOPE', responseCode: 553, response: '553 5.1.3 bad address syntax', command: 'RCPT TO' },
        retryable: false,
        suppress: 'hard_bounce',
      },
      {
        case: '551 user not local',
        err: { code: 'EENVELOPE', responseCode: 551, response: '551 user not local', command: 'RCPT TO' },
        retryable: false,
        suppress: 'hard_bounce',
      },
      {
        case: "550 5.7.1 policy (our IP is blocked): not the recipient's fault",
        err: { code: 'EENVELOPE', responseCode: 550, response: '550 5.7.1 rejected by policy', command: 'RCPT TO' },
        retryable: false,
      },
      {
        case: '550 refusing our sender at MAIL FROM',
        err: { code: 'EENVELOPE', responseCode: 550, response: '550 sender rejected', command: 'MAIL FROM' },
        retryable: false,
      },
      {
        case: '550 after DATA without 5.1.x (content refused)',
        err: { code: 'EMESSAGE', responseCode: 550, response: '550 message looks like spam', command: 'DATA' },
        retryable: false,
      },
      {
        case: '552 mailbox full',
        err: { code: 'EENVELOPE', responseCode: 552, response: '552 5.2.2 mailbox full', command: 'RCPT TO' },
        retryable: false,
      },
      {
        case: '451 try again later',
        err: { code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 greylisted', command: 'RCPT TO' },
        retryable: true,
      },
      {
        case: '421 service closing',
        err: { code: 'EPROTOCOL', responseCode: 421, response: '421 too busy' },
        retryable: true,
      },
      { case: 'connection refused', err: { code: 'ECONNECTION', message: 'connect ECONNREFUSED' }, retryable: true },
      { case: 'socket timeout', err: { code: 'ETIMEDOUT', message: 'Timeout' }, retryable: true },
      {
        case: 'no recipients (our bug)',
        err: { code: 'EENVELOPE', message: 'No recipients defined' },
        retryable: false,
      },
    ];
  for (const t of table) {
    it(t.case, () => {
      const r = classifySmtpError(t.err);
      assert.deepEqual([r.retryable, r.suppress], [t.retryable, t.suppress]);
    });
  }
});

describe("SMTP failures after the message's data began to flow", () => {
  const table: [string, Parameters<typeof classifySmtpError>[0], boolean][] = [
    [
      'the connection closed before the reply to the data',
      { code: 'ECONNECTION', message: 'Connection closed unexpectedly' },
      true,
    ],
    ['the reply to the data never came (timeout)', { code: 'ETIMEDOUT', message: 'Timeout' }, true],
    [
      'a 451 after the data is an answer: retry, no doubt',
      { code: 'EMESSAGE', responseCode: 451, response: '451 try later', command: 'DATA' },
      false,
    ],
  ];
  for (const [name, err, inDoubt] of table)
    it(`${name}: ${inDoubt ? 'in doubt' : 'not in doubt'}`, () =>
      assert.equal(classifySmtpError(err, true).inDoubt === true, inDoubt));
  it('before the data, a lost connection is a plain retry', () =>
    assert.equal(
      classifySmtpError({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }).inDoubt,
      undefined,
    ));
});
