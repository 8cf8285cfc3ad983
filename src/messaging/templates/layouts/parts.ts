// Pieces every e-mail layout shares (pure data, in one language): the page frame, the greeting, and the legal footer
// with the sender's identification, the unsubscribe and preference links.
import type { Translate } from '../../../i18n/index.ts';
import type { LayoutTextKey } from './texts.ts';

type T = Translate<LayoutTextKey>;

export const footer = (t: T) => `    <mj-section padding="8px 0">
      <mj-column>
        <mj-divider border-width="1px" border-color="#dddddd" />
        <mj-text font-size="11px" color="#777777" align="center">{{ sender.identification }}<br /><a href="{% unsubscribe_url %}" style="color:#777777">${t('footer.unsubscribe')}</a> · <a href="{% preferences_url %}" style="color:#777777">${t('footer.preferences')}</a></mj-text>
      </mj-column>
    </mj-section>`;

/** "Hello Anna," with the customer's first name, a greeting without it when there is none. */
export const greeting = (t: T) =>
  `<mj-text font-size="16px">{% if customer.first_name %}${t('greeting', { name: '{{ customer.first_name }}' })}{% else %}${t('greetingNoName')}{% endif %}</mj-text>`;

/** A whole MJML document: the sections given, then the footer. */
export function page(t: T, title: string, sections: string): string {
  return `<mjml>
  <mj-head>
    <mj-title>${title}</mj-title>
    <mj-attributes><mj-all font-family="Arial, sans-serif" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f4">
${sections}
${footer(t)}
  </mj-body>
</mjml>`;
}

/** One section with one column holding `inner`. */
export const section = (inner: string) => `    <mj-section background-color="#ffffff">
      <mj-column>
        ${inner}
      </mj-column>
    </mj-section>`;
