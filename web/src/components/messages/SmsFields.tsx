// The SMS content of one locale, with a live count of the text's segments, its encoding and price (the server's rules).
import { smsSegments } from '../../../../src/messaging/sms-segments';
import { formatMoney, formatNumber } from '../../format';
import type { SmsContent } from '../../messages/types';
import { LiquidArea } from './LiquidArea';

export function SmsMeter({ text, pricePerSegment }: { text: string; pricePerSegment: number | null }) {
  const s = smsSegments(text);
  return (
    <p className="sms-meter" data-testid="sms-meter" aria-live="polite">
      {formatNumber(s.units)} {s.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units'} · <strong>{s.segments} {s.segments === 1 ? 'segment' : 'segments'}</strong> of{' '}
      {s.perSegment} · {s.encoding}
      {s.nonGsmChars.length > 0 && <span className="muted"> (because of {s.nonGsmChars.map((c) => JSON.stringify(c)).join(' ')})</span>}
      {pricePerSegment !== null && <> · {formatMoney(s.segments * pricePerSegment)}</>}
    </p>
  );
}

export function SmsFields({ value, onChange, pricePerSegment }: { value: SmsContent; onChange: (v: SmsContent) => void; pricePerSegment: number | null }) {
  return (
    <div className="tpl-fields">
      <LiquidArea
        label="SMS text"
        rows={4}
        value={value.text}
        onChange={(text) => onChange({ text })}
        note="Counted on the template text; the preview counts the text as rendered for the customer."
      />
      <SmsMeter text={value.text} pricePerSegment={pricePerSegment} />
    </div>
  );
}
