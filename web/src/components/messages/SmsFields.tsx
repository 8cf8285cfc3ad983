// The SMS content of one locale, with a live count of the text's segments, its encoding and price (the server's rules).
import { smsSegments } from '../../../../src/messaging/sms-segments';
import { formatMoney } from '../../format';
import type { SmsContent } from '../../messages/types';
import { LiquidArea } from './LiquidArea';
import { t } from '../../i18n';

export function SmsMeter({ text, pricePerSegment }: { text: string; pricePerSegment: number | null }) {
  const s = smsSegments(text);
  return (
    <p className="sms-meter" data-testid="sms-meter" aria-live="polite">
      {s.encoding === 'GSM-7' ? t('sms.septets', { n: s.units }) : t('sms.units', { n: s.units })} ·{' '}
      <strong>{t('sms.segments', { count: s.segments })}</strong> {t('sms.of', { n: s.perSegment })} · {s.encoding}
      {s.nonGsmChars.length > 0 && (
        <span className="muted">
          {' '}
          {t('sms.because', { chars: s.nonGsmChars.map((c) => JSON.stringify(c)).join(' ') })}
        </span>
      )}
      {pricePerSegment !== null && <> · {formatMoney(s.segments * pricePerSegment)}</>}
    </p>
  );
}

export function SmsFields({
  value,
  onChange,
  pricePerSegment,
}: {
  value: SmsContent;
  onChange: (v: SmsContent) => void;
  pricePerSegment: number | null;
}) {
  return (
    <div className="tpl-fields">
      <LiquidArea
        label={t('sms.text')}
        rows={4}
        value={value.text}
        onChange={(text) => onChange({ text })}
        note={t('sms.note')}
      />
      <SmsMeter text={value.text} pricePerSegment={pricePerSegment} />
    </div>
  );
}
