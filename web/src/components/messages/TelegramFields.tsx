// The Telegram content of one locale: the message and its link buttons (text and URL, both Liquid).
import type { TelegramContent } from '../../messages/types';
import { LiquidArea } from './LiquidArea';
import { t } from '../../i18n';

export function TelegramFields({
  value,
  onChange,
}: {
  value: TelegramContent;
  onChange: (v: TelegramContent) => void;
}) {
  const buttons = value.buttons ?? [];
  const setButton = (i: number, patch: Partial<{ text: string; url: string }>) =>
    onChange({ ...value, buttons: buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  return (
    <div className="tpl-fields">
      <LiquidArea
        label={t('telegram.text')}
        rows={5}
        value={value.text}
        onChange={(text) => onChange({ ...value, text })}
      />
      <fieldset className="jf-group">
        <legend>{t('telegram.buttons')}</legend>
        {buttons.map((b, i) => (
          <div className="tpl-button-row" key={i}>
            <input
              type="text"
              aria-label={t('telegram.buttonText', { n: i + 1 })}
              placeholder={t('telegram.textPlaceholder')}
              value={b.text}
              onChange={(e) => setButton(i, { text: e.target.value })}
            />
            <input
              type="text"
              aria-label={t('telegram.buttonUrl', { n: i + 1 })}
              placeholder="https://…"
              value={b.url}
              onChange={(e) => setButton(i, { url: e.target.value })}
            />
            <button
              type="button"
              className="button secondary small"
              aria-label={t('telegram.removeButton', { n: i + 1 })}
              onClick={() => onChange({ ...value, buttons: buttons.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button secondary small"
          disabled={buttons.length >= 20}
          onClick={() => onChange({ ...value, buttons: [...buttons, { text: '', url: '' }] })}
        >
          {t('telegram.addButton')}
        </button>
      </fieldset>
    </div>
  );
}
