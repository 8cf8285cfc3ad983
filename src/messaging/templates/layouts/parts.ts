// Pieces every e-mail layout shares (pure data): the page frame, a heading, and the legal footer with the sender's
// identification, the unsubscribe and preference links.

export const footer = `    <mj-section padding="8px 0">
      <mj-column>
        <mj-divider border-width="1px" border-color="#dddddd" />
        <mj-text font-size="11px" color="#777777" align="center">{{ sender.identification }}<br /><a href="{% unsubscribe_url %}" style="color:#777777">Unsubscribe</a> · <a href="{% preferences_url %}" style="color:#777777">Preferences</a></mj-text>
      </mj-column>
    </mj-section>`;

export const greeting = `<mj-text font-size="16px">Hello {{ customer.first_name | default: 'there' }},</mj-text>`;

/** A whole MJML document: the sections given, then the footer. */
export function page(title: string, sections: string): string {
  return `<mjml>
  <mj-head>
    <mj-title>${title}</mj-title>
    <mj-attributes><mj-all font-family="Arial, sans-serif" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f4">
${sections}
${footer}
  </mj-body>
</mjml>`;
}

/** One section with one column holding `inner`. */
export const section = (inner: string) => `    <mj-section background-color="#ffffff">
      <mj-column>
        ${inner}
      </mj-column>
    </mj-section>`;
