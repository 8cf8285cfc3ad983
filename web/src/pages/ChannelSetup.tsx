// Channel setup page (#/channels/<channel>): the provider's form drawn from its description, Save, Check connection and
// Send a test with the provider's answer in words, every refusal next to its field; Web Push also makes VAPID keys and
// shows the snippet to paste on the site.
import { useEffect, useMemo, useState } from 'react';
import { ApiError, apiGet, apiPath, apiSend } from '../api';
import {
  CHANNEL_TITLES,
  type ChannelAnswer,
  type ChannelView,
  type FormField,
  type ProviderInfo,
} from '../channels/types';
import { configFrom, placeIssues, savedSecrets, valuesFrom, type Issue, type Values } from '../channels/values';
import { answerWords, formInLanguage } from '../channels/words';
import { FormFieldInput } from '../components/channels/FormFieldInput';
import { WebPushSnippet } from '../components/channels/WebPushSnippet';
import '../channels.css';
import { currentLocale, t } from '../i18n';

/** An answer of the server (with its reason) or of the page itself (saved, removed, fix the fields). */
type Shown = Pick<ChannelAnswer, 'ok' | 'message'> & Partial<ChannelAnswer>;
type Answer = Shown & { what: string };

/** The channel's own settings, whatever its provider: a send rate and what a message costs. */
const SENDING: readonly FormField[] = [
  {
    path: 'perSecond',
    get label() {
      return t('setup.perSecond');
    },
    kind: 'number',
    get placeholder() {
      return t('channelsSummary.noLimit');
    },
    get help() {
      return t('setup.perSecondHelp');
    },
    advanced: true,
  },
  {
    path: 'pricePerMessage',
    get label() {
      return t('setup.price');
    },
    kind: 'number',
    placeholder: '0',
    get help() {
      return t('setup.priceHelp');
    },
    advanced: true,
  },
];

const NUMBER = /^\d+(\.\d+)?$/;
/** A number as typed: a number when it is one, else the text for the API to name the field; empty: `empty`. */
const typed = (text: string, empty: number | null | undefined) =>
  text.trim() === '' ? empty : NUMBER.test(text.trim()) ? Number(text.trim()) : text;

export function ChannelSetup({ channel }: { channel: string }) {
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [view, setView] = useState<ChannelView | null>(null);
  const [providerName, setProviderName] = useState('');
  const [values, setValues] = useState<Values>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [sending, setSending] = useState<Values>({ perSecond: '', pricePerMessage: '' });

  // the providers' forms in the dashboard's language (the server describes them in English, by stable ids)
  const choices = useMemo(
    () =>
      providers?.filter((p) => p.channel === channel).map((p) => ({ ...p, form: formInLanguage(p.name, p.form) })) ??
      [],
    [providers, channel],
  );
  /** Each provider's English title → its title here, for answers that name the provider. */
  const titles = useMemo(
    () => Object.fromEntries((providers ?? []).map((p) => [p.form.title, formInLanguage(p.name, p.form).title])),
    [providers],
  );
  const provider = choices.find((p) => p.name === providerName) ?? null;
  const saved = view && view.provider === providerName ? view.config : null;
  const secrets = useMemo(() => (provider ? savedSecrets(provider.form, saved) : new Set<string>()), [provider, saved]);

  useEffect(() => {
    let live = true;
    Promise.all([
      apiGet<{ providers: ProviderInfo[] }>(apiPath('/channels/providers')),
      apiGet<{ channels: ChannelView[] }>(apiPath('/channels')),
    ])
      .then(([p, c]) => {
        if (!live) return;
        const mine = c.channels.find((x) => x.channel === channel) ?? null;
        const name = mine?.provider ?? p.providers.find((x) => x.channel === channel)?.name ?? '';
        setProviders(p.providers);
        setView(mine);
        setSending(sendingOf(mine));
        pick(p.providers, name, mine);
      })
      .catch((err: Error) => live && setLoadError(err.message));
    return () => {
      live = false;
    };
  }, [channel]);

  function sendingOf(v: ChannelView | null): Values {
    return {
      perSecond: v?.perSecond == null ? '' : String(v.perSecond),
      pricePerMessage: v?.pricePerMessage ? String(v.pricePerMessage) : '',
    };
  }

  function pick(all: ProviderInfo[], name: string, current: ChannelView | null) {
    const info = all.find((p) => p.name === name);
    setProviderName(name);
    setValues(info ? valuesFrom(info.form, current?.provider === name ? current.config : null) : {});
    setProblems({});
    setOther([]);
    setAnswer(null);
  }

  if (!(channel in CHANNEL_TITLES))
    return (
      <p className="error">
        {t('setup.noChannel', { channel })} <a href="#/channels">{t('setup.back')}</a>
      </p>
    );
  const title = CHANNEL_TITLES[channel]!.title;
  if (loadError) return <p className="error">{loadError}</p>;
  if (!providers || !provider) return <p className="muted">{t('common.loading')}</p>;
  const form = provider.form;

  /** The body for save, check and test; null (and the problems shown) when a JSON field does not parse. */
  function body() {
    const { config, errors } = configFrom(form, values, saved, secrets);
    setProblems(errors);
    setOther([]);
    if (Object.keys(errors).length) {
      setAnswer(null);
      return null;
    }
    return { provider: providerName, config };
  }

  /** Runs one action; a 400 puts each issue next to its field, any other refusal is the answer. */
  async function act(what: string, run: () => Promise<Shown | void>) {
    setBusy(what);
    setAnswer(null);
    try {
      const result = await run();
      setProblems({});
      if (result) setAnswer({ ...result, what });
    } catch (err) {
      const issues =
        err instanceof ApiError && Array.isArray((err.body as { issues?: unknown })?.issues)
          ? (err.body as { issues: Issue[] }).issues
          : null;
      if (issues) {
        const placed = placeIssues([...form.fields, ...SENDING], issues);
        setProblems(placed.byField);
        setOther(placed.other);
        setAnswer({ ok: false, what, message: t('setup.needFix') });
      } else setAnswer({ ok: false, what, message: (err as Error).message });
    } finally {
      setBusy(null);
    }
  }

  const save = (fresh?: Record<string, unknown>) =>
    act('save', async () => {
      const b = fresh ?? body();
      if (!b) return;
      const next = await apiSend<ChannelView>('PUT', apiPath(`/channels/${channel}`), {
        ...b,
        perSecond: typed(String(sending.perSecond), null),
        pricePerMessage: typed(String(sending.pricePerMessage), undefined),
      });
      setView(next);
      setSending(sendingOf(next));
      setValues(valuesFrom(form, next.config));
      return {
        ok: true,
        message: fresh ? t('setup.newKeys') : t('setup.saved', { channel: title, provider: form.title }),
      };
    });

  const check = () =>
    act('check', async () => {
      const b = body();
      if (b) return apiSend<ChannelAnswer>('POST', apiPath(`/channels/${channel}/check`), b);
    });

  const test = () =>
    act('test', async () => {
      const b = body();
      if (b)
        return apiSend<ChannelAnswer>('POST', apiPath(`/channels/${channel}/test`), {
          ...b,
          ...(form.testTo ? { to } : {}),
        });
    });

  /** Web Push: save with both keys left out, so that the server makes a new pair (the private key never leaves it). */
  const generateKeys = () => {
    if (secrets.has('privateKey') && !window.confirm(t('setup.confirmKeys'))) return;
    const b = body();
    if (!b) return;
    const config = { ...b.config };
    delete config.publicKey;
    delete config.privateKey;
    return save({ provider: providerName, config });
  };

  const remove = () =>
    act('remove', async () => {
      if (!window.confirm(t('setup.confirmRemove', { channel: title }))) return;
      await apiSend('DELETE', apiPath(`/channels/${channel}`));
      setView(null);
      setValues(valuesFrom(form, null));
      return { ok: true, message: t('setup.removed', { channel: title }) };
    });

  const plain = form.fields.filter((f) => !f.advanced);
  const advanced = form.fields.filter((f) => f.advanced);
  const draw = (f: (typeof form.fields)[number]) => (
    <FormFieldInput
      key={f.path}
      field={f}
      value={values[f.path] ?? ''}
      secretSaved={secrets.has(f.path)}
      problem={problems[f.path]}
      onChange={(v) => setValues((old) => ({ ...old, [f.path]: v }))}
    />
  );
  const shown = (what: string) => {
    if (answer?.what !== what) return null;
    const words = answerWords(answer, titles);
    return (
      <div className={`ch-answer ${answer.ok ? 'ok' : 'bad'}`} role="status">
        <p data-testid={`answer-${what}`}>{words.text}</p>
        {words.said && (
          <p className="muted" data-testid={`answer-${what}-said`} data-server-words>
            {words.said}
          </p>
        )}
      </div>
    );
  };

  return (
    <>
      <p className="crumbs">
        <a href="#/channels">{t('nav.channels')}</a> / {title}
      </p>
      <h1>{title}</h1>
      <p className="muted ch-lead">
        {view
          ? t('setup.setUpWith', {
              provider: choices.find((p) => p.name === view.provider)?.form.title ?? view.provider,
              when: new Date(view.updatedAt).toLocaleString(currentLocale()),
            })
          : t('setup.notYet')}
      </p>

      <form className="card ch-form" onSubmit={(e) => (e.preventDefault(), void save())} noValidate>
        {choices.length > 1 && (
          <div className="field ch-field">
            <label htmlFor="ch-provider">{t('channelsSummary.provider')}</label>
            <select
              id="ch-provider"
              name="provider"
              value={providerName}
              onChange={(e) => pick(providers, e.target.value, view)}
            >
              {choices.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.form.title}
                </option>
              ))}
            </select>
          </div>
        )}
        <h2>{form.title}</h2>
        <p className="muted">{form.intro}</p>
        {plain.map(draw)}
        {advanced.length > 0 && (
          <details className="ch-advanced" open={[...advanced, ...SENDING].some((f) => problems[f.path])}>
            <summary>{t('setup.advanced')}</summary>
            {advanced.map(draw)}
            {SENDING.map((f) => (
              <FormFieldInput
                key={f.path}
                field={f}
                value={sending[f.path] ?? ''}
                secretSaved={false}
                problem={problems[f.path]}
                onChange={(v) => setSending((old) => ({ ...old, [f.path]: v }))}
              />
            ))}
          </details>
        )}
        {other.length > 0 && (
          <ul className="error" data-testid="other-problems">
            {other.map((o) => (
              <li key={o}>{o}</li>
            ))}
          </ul>
        )}
        <div className="ch-buttons">
          <button type="submit" className="button" disabled={busy !== null}>
            {busy === 'save' ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" className="button secondary" disabled={busy !== null} onClick={() => void check()}>
            {busy === 'check' ? t('journey.checking') : t('setup.check')}
          </button>
          {channel === 'webpush' && (
            <button
              type="button"
              className="button secondary"
              disabled={busy !== null}
              onClick={() => void generateKeys()}
            >
              {t('setup.generateKeys')}
            </button>
          )}
          {view && (
            <button type="button" className="button danger" disabled={busy !== null} onClick={() => void remove()}>
              {t('common.remove')}
            </button>
          )}
        </div>
        <p className="muted">{form.check}</p>
        {shown('save')}
        {shown('check')}
        {shown('remove')}
      </form>

      <section className="card ch-form">
        <h2>{t('test.title')}</h2>
        <div className="ch-test">
          {form.testTo ? (
            <FormFieldInput
              field={{
                path: 'to',
                label: form.testTo.label,
                kind: form.testTo.multiline ? 'json' : 'text',
                placeholder: form.testTo.placeholder,
                help: form.testTo.help,
              }}
              value={to}
              secretSaved={false}
              problem={problems.to}
              onChange={(v) => setTo(String(v))}
            />
          ) : (
            <p className="muted">{t('setup.testGoes')}</p>
          )}
          <button type="button" className="button" disabled={busy !== null} onClick={() => void test()}>
            {busy === 'test' ? t('test.sending') : t('test.title')}
          </button>
        </div>
        {shown('test')}
      </section>

      {channel === 'webpush' && view?.provider === 'webpush' && typeof view.config?.publicKey === 'string' && (
        <WebPushSnippet vapidKey={view.config.publicKey} />
      )}
    </>
  );
}
