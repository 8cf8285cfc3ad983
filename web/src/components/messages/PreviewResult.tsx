// A rendered preview: the locale used and why, then the channel's content (e-mail HTML in a sandboxed frame).
import type { SyntheticEvent } from 'react';
import { formatMoney } from '../../format';
import type { LocaleSource, Preview } from '../../messages/types';
import { t } from '../../i18n';

const WHY: Record<LocaleSource, string> = {
  get customer() {
    return t('why.customer');
  },
  get language() {
    return t('why.language');
  },
  get workspace() {
    return t('why.workspace');
  },
  get template() {
    return t('why.template');
  },
};

/** Once the e-mail has loaded: marks the frame loaded and sizes it to the e-mail (within limits). */
function fitHeight(e: SyntheticEvent<HTMLIFrameElement>) {
  const frame = e.currentTarget;
  frame.dataset.loaded = 'true';
  const doc = frame.contentDocument;
  if (!doc) return;
  frame.style.height = '160px'; // the document is at least as tall as the frame: measure it in a short one
  frame.style.height = `${Math.min(1200, Math.max(160, doc.documentElement.scrollHeight + 8))}px`;
}

export function PreviewResult({ preview, chosen }: { preview: Preview; chosen: boolean }) {
  const { email, sms, push, telegram, webhook } = preview;
  return (
    <div className="tpl-preview" data-testid="preview-result">
      <p className="muted" data-testid="preview-locale">
        {t('preview.renderedIn')} <strong>{preview.locale}</strong> (
        {chosen ? t('why.chosen') : WHY[preview.localeSource]}) · {t('preview.moneyDatesAs')} {preview.locality.locale},{' '}
        {preview.locality.timezone}, {preview.locality.currency}
        {preview.customer?.userId && <> · {t('preview.for', { who: preview.customer.userId })}</>}
      </p>
      {email && (
        <>
          <dl className="kv">
            <div>
              <dt>{t('email.subject')}</dt>
              <dd data-testid="preview-subject">{email.subject}</dd>
            </div>
            <div>
              <dt>{t('email.preheader')}</dt>
              <dd>{email.preheader || '—'}</dd>
            </div>
          </dl>
          {/* No scripts run in the frame; same origin only so that its height can follow the e-mail's. */}
          <iframe
            className="tpl-frame"
            title={t('preview.emailFrame')}
            sandbox="allow-same-origin"
            srcDoc={email.html}
            data-testid="preview-html"
            onLoad={fitHeight}
          />
          <details>
            <summary>{t('email.plainText')}</summary>
            <pre className="definition" data-testid="preview-text">
              {email.text}
            </pre>
          </details>
        </>
      )}
      {sms && (
        <>
          <pre className="definition" data-testid="preview-text">
            {sms.text}
          </pre>
          <p className="sms-meter" data-testid="preview-sms">
            {sms.encoding === 'GSM-7' ? t('sms.septets', { n: sms.units }) : t('sms.units', { n: sms.units })} ·{' '}
            <strong>{t('sms.segments', { count: sms.segments })}</strong> · {sms.encoding}
            {sms.price !== undefined && <> · {formatMoney(sms.price)}</>}
          </p>
        </>
      )}
      {push && (
        <div className="tpl-push" data-testid="preview-text">
          <strong>{push.title}</strong>
          <div>{push.body}</div>
          {push.url && <div className="muted">{push.url}</div>}
        </div>
      )}
      {telegram && (
        <>
          <pre className="definition" data-testid="preview-text">
            {telegram.text}
          </pre>
          {telegram.buttons?.map((b, i) => (
            <span key={i} className="tag tpl-tg-button" title={b.url}>
              {b.text}
            </span>
          ))}
        </>
      )}
      {webhook && (
        <pre className="definition" data-testid="preview-text">
          {JSON.stringify(webhook.body, null, 2)}
        </pre>
      )}
    </div>
  );
}
