// The dashboard says every provider form in its language by the stable ids the API sends (provider name, field path):
// every field of src/channels/forms.ts has its words in web/src/channels/words.ts, except the few named by the provider's
// own product terms (the same in every language), and the words name no field the form does not have.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FORMS } from '../../src/channels/forms.ts';
import { PROVIDER_NAMES } from '../../src/channels/registry.ts';
import { wordedFields } from '../../web/src/channels/words.ts';

/** Fields whose label is the provider's own term (Twilio's console calls them so in every language). */
const PRODUCT_TERMS: Record<string, string[]> = { twilio: ['accountSid', 'authToken', 'messagingServiceSid'] };

describe("provider forms in the dashboard's languages", () => {
  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: every field has its words, and only fields of the form do`, () => {
      const paths = FORMS[provider].fields.map((f) => f.path);
      const worded = wordedFields(provider);
      const own = PRODUCT_TERMS[provider] ?? [];
      assert.deepEqual(
        paths.filter((p) => !worded.includes(p) && !own.includes(p)),
        [],
        'fields without words',
      );
      assert.deepEqual(
        worded.filter((p) => !paths.includes(p)),
        [],
        'words of fields the form does not have',
      );
    });
  }
});
