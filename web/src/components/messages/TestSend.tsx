// "Send test": the saved template, rendered for the preview's customer, locale and channel, sent to an address.
import { useState } from 'react';
import { apiPath, apiSend } from '../../api';
import { messageOf } from '../../messages/problems';
import type { SendChannel, TestSendResult } from '../../messages/types';
import { t } from '../../i18n';

const PLACEHOLDER: Record<SendChannel, string> = {
  email: 'you@example.com',
  sms: '+48600100200',
  get push() {
    return t('test.deviceToken');
  },
  get webpush() {
    return t('test.subscription');
  },
  get telegram() {
    return t('test.chatId');
  },
  webhook: 'https://…',
};

interface Props {
  templateId: string | null;
  /** Why a test cannot be sent now, if it cannot. */
  blocked: string | null;
  request: { channel: SendChannel; customer?: string; locale?: string };
}

export function TestSend({ templateId, blocked, request }: Props) {
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function send() {
    setBusy(true);
    setResult(null);
    try {
      const r = await apiSend<TestSendResult>('POST', apiPath(`/templates/${encodeURIComponent(templateId!)}/test`), {
        ...request,
        to: to.trim(),
      });
      setResult({
        ok: true,
        text: r.providerMessageId
          ? t('test.sentWithId', { to: r.to, channel: r.channel, locale: r.locale, id: r.providerMessageId })
          : t('test.sent', { to: r.to, channel: r.channel, locale: r.locale }),
      });
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="tpl-test">
      <h3>{t('test.title')}</h3>
      <form className="tpl-preview-form" onSubmit={(e) => (e.preventDefault(), void send())}>
        <label className="field jf">
          {t('test.address')}
          <input
            type="text"
            placeholder={PLACEHOLDER[request.channel]}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button secondary"
          disabled={busy || !!blocked || !to.trim()}
          title={blocked ?? undefined}
        >
          {busy ? t('test.sending') : t('test.send', { channel: request.channel })}
        </button>
      </form>
      {blocked && <p className="muted tpl-note">{blocked}</p>}
      {result && (
        <p className={result.ok ? 'notice' : 'error'} role={result.ok ? 'status' : 'alert'} data-testid="test-result">
          {result.text}
        </p>
      )}
    </div>
  );
}
