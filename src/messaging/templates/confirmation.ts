// The built-in double opt-in e-mail (template id "consent-confirmation") in English, Polish and Russian: used until a
// workspace saves its own template under that id (any locales; {% confirm_url %} prints the link).
import type { Template } from './store.ts';
import { CONFIRMATION_TEMPLATE } from '../../consent/confirmation-mail.ts';

const body = (heading: string, lead: string, button: string, ignore: string) => `<mjml><mj-body><mj-section><mj-column>
  <mj-text font-size="20px">${heading}</mj-text>
  <mj-text>${lead}</mj-text>
  <mj-button href="{% confirm_url %}">${button}</mj-button>
  <mj-text font-size="12px" color="#666">${ignore}</mj-text>
  <mj-text font-size="11px" color="#666">{{ sender.name }}{% if sender.name and sender.identification %} · {% endif %}{{ sender.identification }}</mj-text>
</mj-column></mj-section></mj-body></mjml>`;

/** Fixed version: the compiled form is cached once for every workspace that uses the built-in text. */
export const builtInConfirmationTemplate: Template = {
  workspaceId: '',
  id: CONFIRMATION_TEMPLATE,
  name: 'Consent confirmation (built in)',
  defaultLocale: 'en',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  content: {
    en: {
      email: {
        subject: 'Please confirm your subscription',
        preheader: 'One click and you are subscribed.',
        mjml: body('{% if customer.first_name %}Hello {{ customer.first_name }},{% else %}Hello,{% endif %}',
          'Please confirm that you want to receive our e-mails at {{ customer.email }}.', 'Yes, subscribe me',
          'If you did not ask for this, ignore this e-mail: without your click nothing is sent. The link works for 7 days.'),
      },
    },
    pl: {
      email: {
        subject: 'Potwierdź subskrypcję',
        preheader: 'Jedno kliknięcie i gotowe.',
        mjml: body('{% if customer.first_name %}Dzień dobry, {{ customer.first_name }},{% else %}Dzień dobry,{% endif %}',
          'Potwierdź, że chcesz otrzymywać nasze wiadomości na adres {{ customer.email }}.', 'Tak, zapisuję się',
          'Jeśli to nie Ty, zignoruj tę wiadomość: bez kliknięcia nic nie wyślemy. Link jest ważny 7 dni.'),
      },
    },
    ru: {
      email: {
        subject: 'Подтвердите подписку',
        preheader: 'Один клик — и готово.',
        mjml: body('{% if customer.first_name %}Здравствуйте, {{ customer.first_name }}!{% else %}Здравствуйте!{% endif %}',
          'Подтвердите, что хотите получать наши письма на адрес {{ customer.email }}.', 'Да, подписаться',
          'Если вы не подписывались, просто проигнорируйте это письмо: без вашего клика мы ничего не пришлём. Ссылка действует 7 дней.'),
      },
    },
  },
};
