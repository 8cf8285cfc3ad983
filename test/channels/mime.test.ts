// The e-mail as composed by mime.ts and sent by the SMTP provider to a real SMTP server: what a mail client reads back
// (headers decoded, parts decoded) is what was sent, in every encoding the composer picks, with lines within the limits.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mailServer, type MailServer } from './mail-server.ts';
import { SmtpProvider, smtpSettings } from '../../src/channels/smtp.ts';
import { composeMime, quotedPrintable, quotedPrintableText } from '../../src/channels/mime.ts';
import { readMail } from '../helpers/mail-parts.ts';

const PREHEADER_LINE = '<div style="display:none">Sale&#8204;' + '&nbsp;&#8204;'.repeat(90) + '</div>';

const cases: {
  what: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  encodings: [string, string];
}[] = [
  {
    what: 'ASCII in short lines: 7bit',
    from: 'Shop <hello@shop.example>',
    subject: 'Your cart',
    html: '<p>A lamp</p>\n<p>. a dot line</p>\n.\n',
    text: 'A lamp\n.\n..two dots',
    encodings: ['7bit', '7bit'],
  },
  {
    what: 'Polish: quoted-printable, name and subject as encoded words',
    from: 'Sklep Łódź <sklep@shop.example>',
    subject: 'Zażółć gęślą jaźń — paczka już jedzie!',
    html: '<p>Dzień dobry, Łucja = 100%</p>',
    text: 'Dzień dobry, Łucja = 100%  \nkoniec',
    encodings: ['quoted-printable', 'quoted-printable'],
  },
  {
    what: 'Russian: base64',
    from: 'Магазин <shop@shop.example>',
    subject: 'Ваша корзина ждёт',
    html: '<p>Здравствуйте, Ольга! Ваша корзина ждёт вас.</p>',
    text: 'Здравствуйте, Ольга! Ваша корзина ждёт вас.',
    encodings: ['base64', 'base64'],
  },
  {
    what: 'a 1,200-character HTML line (an MJML preheader): quoted-printable in short lines',
    from: 'shop@shop.example',
    subject: 'S'.repeat(120),
    html: `<html><body>${PREHEADER_LINE}<p>Hi</p></body></html>`,
    text: 'Hi',
    encodings: ['7bit', 'quoted-printable'],
  },
  {
    what: 'a bare CR in ASCII text (no line end, not allowed alone in 7bit): quoted-printable =0D, lines within 76',
    from: 'shop@shop.example',
    subject: 'CR',
    html: '<p>ok</p>',
    text: `${'x'.repeat(75)}y\rz, then more`,
    encodings: ['quoted-printable', '7bit'],
  },
  {
    what: 'an emoji and a quote in the name',
    from: '"Shop \\"Best\\"" <shop@shop.example>',
    subject: 'Sale 🎉 today',
    html: '<p>🎉</p>',
    text: '🎉 x',
    encodings: ['quoted-printable', 'quoted-printable'],
  },
];

describe('MIME composing for SMTP: what arrives reads back as sent', () => {
  let server: MailServer;
  let smtp: SmtpProvider;
  before(async () => {
    server = await mailServer();
    smtp = new SmtpProvider(smtpSettings.parse({ host: '127.0.0.1', port: server.port, secure: false }));
  });
  after(async () => {
    await smtp.close();
    await server.close();
  });

  for (const c of cases) {
    it(c.what, async () => {
      const headers = {
        'List-Unsubscribe': `<https://retain.example/c/unsubscribe?t=${'x'.repeat(180)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      const r = await smtp.send({
        key: 'k',
        channel: 'email',
        to: 'ann@example.test',
        purpose: 'marketing',
        email: { subject: c.subject, html: c.html, text: c.text, from: c.from, headers },
      });
      assert.equal(r.ok, true, JSON.stringify(r));
      const got = server.received.at(-1)!;
      const mail = readMail(got.raw);
      assert.equal(mail.header('Subject'), c.subject);
      assert.equal(mail.header('To'), 'ann@example.test');
      assert.equal(mail.header('List-Unsubscribe'), headers['List-Unsubscribe']);
      assert.equal(mail.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
      assert.equal(mail.header('Message-ID'), r.ok ? r.providerMessageId : '');
      assert.equal(mail.text, c.text.replace(/\n/g, '\r\n'));
      assert.equal(mail.html, c.html.replace(/\n/g, '\r\n'));
      assert.deepEqual([mail.encodings['text/plain'], mail.encodings['text/html']], c.encodings);
      const name = /^(?:"?(.*?)"? )?<?([^<>]+@[^<>]+)>?$/.exec(c.from)!;
      assert.ok(mail.header('From')!.endsWith(`<${name[2]}>`) || mail.header('From') === name[2], mail.header('From'));
      if (name[1])
        assert.equal(
          mail
            .header('From')!
            .replace(/ <[^>]+>$/, '')
            .replace(/^"|"$/g, '')
            .replace(/\\"/g, '"'),
          name[1].replace(/\\"/g, '"'),
        );
      assert.deepEqual([got.from, got.to], [name[2], ['ann@example.test']]);
      const split = got.raw.indexOf('\r\n\r\n');
      assert.deepEqual(
        got.raw
          .slice(split)
          .split('\r\n')
          .filter((l) => l.length > 76),
        [],
        'every body line within 76 characters',
      );
      assert.deepEqual(
        got.raw
          .slice(0, split)
          .split('\r\n')
          .filter((l) => l.length > 998),
        [],
        'header lines within 998 (a long URL is one word)',
      );
    });
  }

  it('a subject or header with line breaks cannot add headers', async () => {
    const r = await smtp.send({
      key: 'k',
      channel: 'email',
      to: 'ann@example.test',
      purpose: 'marketing',
      email: {
        subject: 'Hi\r\nBcc: victim@example.test',
        html: '<p>x</p>',
        text: 'x',
        from: 'shop@shop.example',
        headers: { 'X-Test': 'a\nBcc: b@example.test' },
      },
    });
    assert.equal(r.ok, true);
    const mail = readMail(server.received.at(-1)!.raw);
    assert.equal(mail.header('Bcc'), undefined);
    assert.equal(mail.header('Subject'), 'Hi Bcc: victim@example.test');
    assert.deepEqual(server.received.at(-1)!.to, ['ann@example.test']);
  });

  it("an address outside ASCII is left to nodemailer's own composer (punycode), and still arrives", async () => {
    assert.equal(
      composeMime({
        from: 'Sklep <sklep@księgarnia.example>',
        to: 'ann@example.test',
        subject: 's',
        html: 'h',
        text: 't',
      }),
      null,
    );
    const r = await smtp.send({
      key: 'k',
      channel: 'email',
      to: 'ann@example.test',
      purpose: 'marketing',
      email: { subject: 'Książki', html: '<p>x</p>', text: 'x', from: 'Sklep <sklep@księgarnia.example>' },
    });
    assert.equal(r.ok, true, JSON.stringify(r));
    const mail = readMail(server.received.at(-1)!.raw);
    assert.equal(mail.header('Subject'), 'Książki');
    assert.equal(mail.text, 'x');
  });

  const qp: [string, string][] = [
    ['a=b', 'a=3Db'],
    ['trailing space \nnext', 'trailing space=20\r\nnext'],
    ['ż', '=C5=BC'],
    ['x'.repeat(80), `${'x'.repeat(75)}=\r\n${'x'.repeat(5)}`],
    [`${'x'.repeat(74)}ż`, `${'x'.repeat(74)}=\r\n=C5=BC`],
    [`${'x'.repeat(76)}\n${'y'.repeat(75)} \r\nok`, `${'x'.repeat(76)}\r\n${'y'.repeat(75)}=\r\n=20\r\nok`],
    [`${'x'.repeat(75)}y\rz`, `${'x'.repeat(75)}=\r\ny=0Dz`], // a bare CR is a byte, not a line end: the line before it still has 75
  ];
  for (const [input, output] of qp) {
    it(`quoted-printable: ${JSON.stringify(input.length > 20 ? `${input.slice(0, 12)}… (${input.length})` : input)}`, () => {
      assert.equal(quotedPrintable(Buffer.from(input, 'utf8')), output);
      assert.equal(quotedPrintableText(input), output, 'the line-by-line form gives the same');
    });
  }
});
