// The e-mail content of one locale: subject, preheader, the body in MJML or HTML, and an optional plain-text part.
import { TextField, SelectField } from '../journeys/fields';
import type { EmailContent } from '../../messages/types';
import { LiquidArea } from './LiquidArea';
import { t } from '../../i18n';

export function EmailFields({ value, onChange }: { value: EmailContent; onChange: (v: EmailContent) => void }) {
  const format = value.html !== undefined && value.mjml === undefined ? 'html' : 'mjml';
  const body = (format === 'html' ? value.html : value.mjml) ?? '';
  const setFormat = (to: string) => {
    if (to === format) return;
    const { mjml: _m, html: _h, ...rest } = value;
    onChange({ ...rest, [to]: body });
  };
  return (
    <div className="tpl-fields">
      <TextField
        label={t('email.subject')}
        value={value.subject}
        onChange={(subject) => onChange({ ...value, subject })}
        placeholder="Your cart is waiting, {{ customer.first_name }}"
      />
      <TextField
        label={t('email.preheader')}
        hint={t('email.preheaderHint')}
        value={value.preheader}
        onChange={(preheader) => onChange({ ...value, preheader })}
      />
      <SelectField
        label={t('email.bodyFormat')}
        value={format}
        options={[
          { value: 'mjml', label: t('email.mjml') },
          { value: 'html', label: 'HTML' },
        ]}
        onChange={setFormat}
      />
      <LiquidArea
        label={format === 'html' ? t('email.htmlBody') : t('email.mjmlBody')}
        rows={12}
        value={body}
        onChange={(v) => onChange({ ...value, [format]: v })}
      />
      <LiquidArea
        label={t('email.plainText')}
        rows={3}
        value={value.text ?? ''}
        onChange={(text) => onChange({ ...value, text })}
        note={t('email.plainTextNote')}
      />
    </div>
  );
}
