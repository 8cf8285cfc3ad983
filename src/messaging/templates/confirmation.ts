// The built-in double opt-in e-mail (template id "consent-confirmation") in English, Polish and Russian, its words from
// the consent catalogues (texts/*.json; Liquid fills the name and address): used until a workspace saves its own
// template under that id (any locales; {% confirm_url %} prints the link). The customer's locale picks the variant.
import type { Template } from './store.ts';
import type { TemplateContent } from './schema.ts';
import { LANGUAGES } from '../../i18n/index.ts';
import { consentText, CONFIRMATION_TTL_MS, CONFIRMATION_TEMPLATE } from '../../consent/index.ts';
import { DAY_MS } from '../../time/index.ts';

const days = Math.round(CONFIRMATION_TTL_MS / DAY_MS);

const body = (heading: string, lead: string, button: string, ignore: string) => `<mjml><mj-body><mj-section><mj-column>
  <mj-text font-size="20px">${heading}</mj-text>
  <mj-text>${lead}</mj-text>
  <mj-button href="{% confirm_url %}">${button}</mj-button>
  <mj-text font-size="12px" color="#666">${ignore}</mj-text>
  <mj-text font-size="11px" color="#666">{{ sender.name }}{% if sender.name and sender.identification %} · {% endif %}{{ sender.identification }}</mj-text>
</mj-column></mj-section></mj-body></mjml>`;

const content: TemplateContent = Object.fromEntries(
  LANGUAGES.map((language) => {
    const t = consentText(language);
    const heading = `{% if customer.first_name %}${t('confirmEmail.greeting', { name: '{{ customer.first_name }}' })}{% else %}${t('confirmEmail.greetingNoName')}{% endif %}`;
    return [
      language,
      {
        email: {
          subject: t('confirmEmail.subject'),
          preheader: t('confirmEmail.preheader'),
          mjml: body(
            heading,
            t('confirmEmail.lead', { email: '{{ customer.email }}' }),
            t('confirmEmail.button'),
            t('confirmEmail.ignore', { days }),
          ),
        },
      },
    ];
  }),
);

/** Fixed version: the compiled form is cached once for every workspace that uses the built-in text. */
export const builtInConfirmationTemplate: Template = {
  workspaceId: '',
  id: CONFIRMATION_TEMPLATE,
  name: 'Consent confirmation (built in)',
  defaultLocale: 'en',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  content,
};
