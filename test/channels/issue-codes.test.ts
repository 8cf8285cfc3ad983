// Bad provider settings name each field with a stable code and its values (besides the English reason), so that the
// dashboard can say the problem in its language next to the field: one row per kind of mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelConfigError, validateSettings } from '../../src/channels/registry.ts';

const cases: {
  name: string;
  channel: string;
  provider: string;
  config: unknown;
  issue: { field: string; code: string; values?: Record<string, unknown> };
}[] = [
  {
    name: 'a required field left out',
    channel: 'email',
    provider: 'smtp',
    config: {},
    issue: { field: 'config.host', code: 'required' },
  },
  {
    name: 'text left empty',
    channel: 'email',
    provider: 'smtp',
    config: { host: '' },
    issue: { field: 'config.host', code: 'empty' },
  },
  {
    name: 'a port above the maximum',
    channel: 'email',
    provider: 'smtp',
    config: { host: 'h', port: 70000 },
    issue: { field: 'config.port', code: 'too_big', values: { max: 65535 } },
  },
  {
    name: 'a timeout below the minimum',
    channel: 'email',
    provider: 'smtp',
    config: { host: 'h', timeoutMs: 5 },
    issue: { field: 'config.timeoutMs', code: 'too_small', values: { min: 100 } },
  },
  {
    name: 'a port that is not whole',
    channel: 'email',
    provider: 'smtp',
    config: { host: 'h', port: 25.5 },
    issue: { field: 'config.port', code: 'not_whole' },
  },
  {
    name: 'a port given as text',
    channel: 'email',
    provider: 'smtp',
    config: { host: 'h', port: 'abc' },
    issue: { field: 'config.port', code: 'wrong_type', values: { expected: 'number' } },
  },
  {
    name: 'an address that is not a URL',
    channel: 'webhook',
    provider: 'webhook',
    config: { url: 'hooks.example', secret: 'x'.repeat(16) },
    issue: { field: 'config.url', code: 'not_url' },
  },
  {
    name: 'a setting the provider does not have',
    channel: 'email',
    provider: 'smtp',
    config: { host: 'h', colour: 'red' },
    issue: { field: 'config.colour', code: 'unknown_setting' },
  },
  {
    name: 'a provider of another channel',
    channel: 'email',
    provider: 'twilio',
    config: {},
    issue: { field: 'provider', code: 'wrong_provider', values: { allowed: 'smtp' } },
  },
];

describe('provider settings problems carry stable codes', () => {
  for (const c of cases) {
    it(c.name, () => {
      let error: unknown;
      try {
        validateSettings(c.channel, c.provider, c.config);
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof ChannelConfigError, 'refused');
      const body = error.body() as unknown as {
        error: string;
        issues: { field: string; reason: string; code: string; values?: unknown }[];
      };
      assert.equal(body.error, 'invalid_request', 'the error code is unchanged');
      const issue = body.issues.find((i) => i.field === c.issue.field);
      assert.ok(issue, `${c.issue.field} in ${JSON.stringify(body.issues)}`);
      assert.ok(issue.reason.length > 0, 'the English reason stays');
      assert.deepEqual(
        { field: issue.field, code: issue.code, ...(issue.values ? { values: issue.values } : {}) },
        c.issue,
      );
    });
  }
});
