// The dashboard's provider form values (web/src/channels/values.ts, pure): saved settings to fields and back, a saved
// secret kept as •••• when its box is left empty, JSON fields parsed, and the API's issues placed next to their fields.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { FORMS } from '../../src/channels/forms.ts';
import { configFrom, placeIssues, savedSecrets, valuesFrom } from '../../web/src/channels/values.ts';
import { setLanguage } from '../../web/src/i18n/index.ts';

const smtp = FORMS.smtp!;
const saved = {
  host: 'smtp.shop.test',
  port: 587,
  auth: { user: 'shop', pass: '••••' },
  from: 'Shop <hi@shop.test>',
  requireTLS: false,
  pool: { maxConnections: 5, maxMessages: 100 },
  timeoutMs: 10000,
};

it('saved settings fill the fields; a saved secret starts empty and is kept as •••• when left so', () => {
  const values = valuesFrom(smtp, saved);
  assert.equal(values.host, 'smtp.shop.test');
  assert.equal(values.port, '587');
  assert.equal(values['auth.pass'], '');
  assert.equal(values.requireTLS, false);
  const secrets = savedSecrets(smtp, saved);
  assert.deepEqual([...secrets], ['auth.pass']);
  const { config, errors } = configFrom(smtp, values, saved, secrets);
  assert.deepEqual(errors, {});
  assert.deepEqual(config, {
    host: 'smtp.shop.test',
    port: 587,
    auth: { user: 'shop', pass: '••••' },
    from: 'Shop <hi@shop.test>',
    pool: { maxConnections: 5, maxMessages: 100 },
    timeoutMs: 10000,
  });
});

it('a typed secret replaces the saved one; cleared fields are left out, and an emptied group with them', () => {
  const values = { ...valuesFrom(smtp, saved), 'auth.pass': 'new-pass', from: '  ' };
  assert.deepEqual(configFrom(smtp, values, saved, savedSecrets(smtp, saved)).config.auth, {
    user: 'shop',
    pass: 'new-pass',
  });
  const none = { ...valuesFrom(smtp, null), host: 'mail.test' };
  assert.deepEqual(configFrom(smtp, none, null, new Set()).config, { host: 'mail.test' });
  assert.deepEqual(
    configFrom(smtp, { ...none, port: 'abc' }, null, new Set()).config,
    { host: 'mail.test', port: 'abc' },
    'the API names a port that is not a number',
  );
});

it('JSON fields are parsed, and one that does not parse is a problem of that field', () => {
  const hook = FORMS['sms-http']!;
  const values = {
    ...valuesFrom(hook, null),
    url: 'https://sms.test/send',
    body: '{"to": "{{to}}"}',
    headers: '{"X": ',
  };
  const { config, errors } = configFrom(hook, values, null, new Set());
  assert.deepEqual(config, { url: 'https://sms.test/send', body: { to: '{{to}}' } });
  assert.deepEqual(Object.keys(errors), ['headers']);
});

it("the API's issues go next to their fields; a setting inside a JSON field goes to that field; the rest apart", () => {
  const placed = placeIssues(FORMS.fcm!.fields, [
    { field: 'config.serviceAccount.private_key', reason: 'is required' },
    { field: 'to', reason: 'is required' },
    { field: 'perSecond', reason: 'must be a number' },
  ]);
  assert.deepEqual(placed.byField, { serviceAccount: 'private_key: is required', to: 'is required' });
  assert.deepEqual(placed.other, ['perSecond: must be a number']);
});

it("in Polish and Russian the issues are said by their stable codes; in English by the API's own words", (t) => {
  const issues = [
    { field: 'config.port', reason: 'must be at most 65535: the SMTP port', code: 'too_big', values: { max: 65535 } },
    { field: 'config.host', reason: 'is required: the SMTP server', code: 'required' },
    { field: 'config.dkim.selector', reason: 'is a setting Retain has no code for' },
  ];
  t.after(() => setLanguage('en'));
  const cases = [
    { lang: 'en', port: 'must be at most 65535: the SMTP port', host: 'is required: the SMTP server' },
    { lang: 'pl', port: 'może wynosić najwyżej 65535', host: 'jest wymagane' },
    { lang: 'ru', port: 'должно быть не больше 65535', host: 'обязательно' },
  ] as const;
  for (const c of cases) {
    setLanguage(c.lang);
    const placed = placeIssues(FORMS.smtp!.fields, issues);
    assert.equal(placed.byField.port, c.port, c.lang);
    assert.equal(placed.byField.host, c.host, c.lang);
    assert.match(
      placed.byField['dkim.keySelector'] ?? placed.other.join(),
      /no code for/,
      `${c.lang}: without a code, the API's words`,
    );
  }
});
