// The dashboard's provider forms follow the settings schemas: every field is a setting, required ones are marked, every
// credential is a secret field (or inside a JSON field, masked there), and a select offers only allowed values.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { FORMS } from '../../src/channels/forms.ts';
import { PROVIDER_NAMES, PROVIDERS, type ProviderSpec } from '../../src/channels/registry.ts';

type Schema = {
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  type?: string | string[];
  anyOf?: Schema[];
};

/** The JSON Schema of a setting at a dotted path (through optional objects), or undefined. */
function at(schema: Schema, path: string): Schema | undefined {
  let s: Schema | undefined = schema;
  for (const step of path.split('.')) {
    const object: Schema | undefined = s?.properties ? s : s?.anyOf?.find((x) => x.properties);
    s = object?.properties?.[step];
  }
  return s;
}

it('every provider has a form, and every form field is one of its settings', () => {
  assert.deepEqual(Object.keys(FORMS).sort(), Object.keys(PROVIDERS).sort());
  for (const name of PROVIDER_NAMES) {
    const spec: ProviderSpec = PROVIDERS[name];
    const schema = z.toJSONSchema(spec.settings, { io: 'input', unrepresentable: 'any' }) as Schema;
    const form = FORMS[name]!;
    for (const field of form.fields) {
      const setting = at(schema, field.path);
      assert.ok(setting, `${name}: "${field.path}" is a setting`);
      const values = setting.enum ?? setting.anyOf?.flatMap((x) => x.enum ?? []);
      if (field.kind === 'select')
        for (const o of field.options ?? [])
          assert.ok(o.value === '' || values?.includes(o.value), `${name}.${field.path}: ${o.value} is allowed`);
    }
    const required = form.fields
      .filter((f) => f.required && !f.path.includes('.'))
      .map((f) => f.path)
      .sort();
    // What Retain fills in itself when it is left empty (Web Push: the VAPID keys) is not required from the marketer.
    const made = Object.keys((spec.prepare?.({}) ?? {}) as object);
    assert.deepEqual(
      required,
      (schema.required ?? []).filter((r) => !made.includes(r)).sort(),
      `${name}: the required fields are marked`,
    );
  }
});

it('every credential is a secret field, or sits inside a JSON field that shows it masked', () => {
  for (const name of PROVIDER_NAMES) {
    const spec: ProviderSpec = PROVIDERS[name];
    const fields = FORMS[name]!.fields;
    for (const secret of spec.secrets) {
      const own = fields.find((f) => f.path === secret);
      const inside = fields.find((f) => f.kind === 'json' && secret.startsWith(`${f.path}.`));
      assert.ok(own?.kind === 'secret' || inside, `${name}: ${secret} is never shown`);
    }
    for (const f of fields.filter((f) => f.kind === 'secret'))
      assert.ok(spec.secrets.includes(f.path), `${name}: ${f.path} is masked by the API`);
  }
});
