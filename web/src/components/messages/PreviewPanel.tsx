// Live preview of the draft: rendered again shortly after every change (the content, the customer, the event, the
// locale, the channel; the latest answer only), for a chosen customer and a sample or recent real event, in the locale
// tab open in the editor (or one chosen); and a test send of the saved template through the channel's provider.
import { useState } from 'react';
import { ApiError, apiPath, apiSend } from '../../api';
import { channelsOf, cleanContent } from '../../messages/draft';
import { useLive } from '../../messages/live';
import { messageOf, problemsOf } from '../../messages/problems';
import type { Preview, PreviewEvent, SendChannel, TemplateContent } from '../../messages/types';
import { ProblemList } from './ProblemList';
import { PreviewCustomerField } from './PreviewCustomerField';
import { PreviewEventField } from './PreviewEventField';
import { PreviewResult } from './PreviewResult';
import { TestSend } from './TestSend';
import { t } from '../../i18n';

interface Props {
  /** The saved template (tests send it); null until it is saved. */
  templateId: string | null;
  dirty: boolean;
  defaultLocale: string;
  content: TemplateContent;
  /** The locale tab open in the editor: previewed unless another locale is chosen. */
  tabLocale: string;
}

/** The "Preview locale" choice that follows the editor's open tab. */
const TAB = '@tab';

export function PreviewPanel({ templateId, dirty, defaultLocale, content, tabLocale }: Props) {
  const [customer, setCustomer] = useState('');
  const [localeChoice, setLocaleChoice] = useState(TAB);
  const [picked, setPicked] = useState<SendChannel>('email');
  const [event, setEvent] = useState<PreviewEvent>({ kind: 'none' });
  const [coupon, setCoupon] = useState('');

  const channels: SendChannel[] = [
    ...channelsOf(content).flatMap((c) => (c === 'push' ? (['push', 'webpush'] as const) : [c])),
    ...(Object.values(content).some((v) => v.webhook) ? (['webhook'] as const) : []),
  ];
  const channel = channels.includes(picked) ? picked : (channels[0] ?? 'email');
  const locales = Object.keys(content);
  const locale = localeChoice === TAB ? tabLocale : localeChoice;

  const request = { channel, ...(customer.trim() ? { customer: customer.trim() } : {}), ...(locale ? { locale } : {}) };
  const body = {
    template: { defaultLocale, content: cleanContent(content) },
    ...request,
    ...(event.kind === 'sample'
      ? { sample: event.id }
      : event.kind === 'event'
        ? { trigger: { event: event.name, properties: event.properties } }
        : {}),
    ...(coupon.trim() ? { params: { coupon: coupon.trim() } } : {}),
  };
  const live = useLive(channels.length ? JSON.stringify(body) : null, () =>
    apiSend<Preview>('POST', apiPath('/templates/preview'), body),
  );
  const problems = live.error ? problemsOf(live.error) : null;
  const customerProblem =
    live.error instanceof ApiError && live.error.status === 404 && /customer/i.test(live.error.serverMessage)
      ? live.error.message
      : null;
  const error = live.error && !problems && !customerProblem ? messageOf(live.error) : null;

  return (
    <section className="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('preview.title')}</h2>
      <form className="tpl-preview-form" onSubmit={(e) => (e.preventDefault(), live.now())}>
        <PreviewCustomerField value={customer} onChange={setCustomer} problem={customerProblem} />
        <PreviewEventField customer={customer} value={event} onChange={setEvent} />
        <label className="field jf">
          {t('preview.coupon')}
          <input
            type="text"
            placeholder={t('preview.couponPlaceholder')}
            value={coupon}
            onChange={(e) => setCoupon(e.target.value)}
          />
        </label>
        <label className="field jf">
          {t('preview.locale')}
          <select value={localeChoice} onChange={(e) => setLocaleChoice(e.target.value)}>
            <option value={TAB}>{t('preview.openTab', { locale: tabLocale })}</option>
            <option value="">{t('preview.customersOwn')}</option>
            {locales.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className="field jf">
          {t('preview.channel')}
          <select value={channel} onChange={(e) => setPicked(e.target.value as SendChannel)}>
            {channels.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={channels.length === 0}>
          {t('preview.title')}
        </button>
        <span className="muted" aria-live="polite" data-testid="preview-state">
          {live.pending ? t('preview.rendering') : t('preview.follows')}
        </span>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="preview-error">
          {error}
        </p>
      )}
      <ProblemList problems={problems ?? []} testId="preview-problems" />
      {/* a new frame for every answer: its "loaded" mark is then always about this one */}
      {live.result && !live.error && (
        <PreviewResult key={live.answered} preview={live.result} chosen={localeChoice !== ''} />
      )}
      <TestSend
        templateId={templateId}
        blocked={!templateId ? t('preview.saveTemplateFirst') : dirty ? t('preview.saveChangesFirst') : null}
        request={request}
      />
    </section>
  );
}
