// Preview of the draft for a chosen customer, locale (or the customer's own) and channel, and a test send of the saved
// template to an address through the channel's provider.
import { useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { channelsOf, cleanContent } from '../../messages/draft';
import { messageOf, problemsOf } from '../../messages/problems';
import type { Preview, SendChannel, TemplateContent, TemplateProblem } from '../../messages/types';
import type { CustomersResponse } from '../../types';
import { ProblemList } from './ProblemList';
import { PreviewResult } from './PreviewResult';
import { TestSend } from './TestSend';

interface Props {
  /** The saved template (tests send it); null until it is saved. */
  templateId: string | null;
  dirty: boolean;
  defaultLocale: string;
  content: TemplateContent;
}

const CUSTOMERS_LIST = 'preview-customers';

export function PreviewPanel({ templateId, dirty, defaultLocale, content }: Props) {
  const [customer, setCustomer] = useState('');
  const [locale, setLocale] = useState('');
  const [picked, setPicked] = useState<SendChannel>('email');
  const [preview, setPreview] = useState<{ result: Preview; chosen: boolean; n: number } | null>(null);
  const [problems, setProblems] = useState<TemplateProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [customers, setCustomers] = useState<string[]>([]);

  const channels: SendChannel[] = [
    ...channelsOf(content).flatMap((c) => (c === 'push' ? (['push', 'webpush'] as const) : [c])),
    ...(Object.values(content).some((v) => v.webhook) ? (['webhook'] as const) : []),
  ];
  const channel = channels.includes(picked) ? picked : (channels[0] ?? 'email');
  const locales = Object.keys(content);

  useEffect(() => {
    apiGet<CustomersResponse>(apiPath('/customers', { limit: 50 }))
      .then((r) => setCustomers(r.customers.map((c) => c.userId ?? c.id)))
      .catch(() => undefined);
  }, []);

  const request = () => ({ channel, ...(customer.trim() ? { customer: customer.trim() } : {}), ...(locale ? { locale } : {}) });

  async function run() {
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      const result = await apiSend<Preview>('POST', apiPath('/templates/preview'), { template: { defaultLocale, content: cleanContent(content) }, ...request() });
      setPreview((p) => ({ result, chosen: locale !== '', n: (p?.n ?? 0) + 1 }));
    } catch (err) {
      setPreview(null);
      const list = problemsOf(err);
      if (list) setProblems(list);
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <form className="tpl-preview-form" onSubmit={(e) => (e.preventDefault(), void run())}>
        <label className="field jf">
          Preview customer
          <input type="text" list={CUSTOMERS_LIST} placeholder="user id or customer id; empty: no customer" value={customer} onChange={(e) => setCustomer(e.target.value)} />
        </label>
        <label className="field jf">
          Preview locale
          <select value={locale} onChange={(e) => setLocale(e.target.value)}>
            <option value="">Customer’s own</option>
            {locales.map((l) => (
              <option key={l} value={l}>{l}</option>
            ))}
          </select>
        </label>
        <label className="field jf">
          Preview channel
          <select value={channel} onChange={(e) => setPicked(e.target.value as SendChannel)}>
            {channels.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={busy || channels.length === 0}>
          {busy ? 'Rendering…' : 'Preview'}
        </button>
      </form>
      <datalist id={CUSTOMERS_LIST}>
        {customers.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      {error && <p className="error" role="alert" data-testid="preview-error">{error}</p>}
      <ProblemList problems={problems} testId="preview-problems" />
      {/* a new frame for every preview: its "loaded" mark is then always about this one */}
      {preview && <PreviewResult key={preview.n} preview={preview.result} chosen={preview.chosen} />}
      <TestSend
        templateId={templateId}
        blocked={!templateId ? 'Save the template first: a test sends the saved template.' : dirty ? 'Save the changes first: a test sends the saved template.' : null}
        request={request()}
      />
    </section>
  );
}
