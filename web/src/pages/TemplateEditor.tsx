// Template editor page (#/messages/templates/new, #/messages/templates/<id>): a new one may start from an e-mail layout;
// name and default locale, the content by locale and channel with its problems (unknown variables with the name meant)
// checked as it is typed, Check / Save with every problem at its path, line and column, Delete, and the live preview.
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiGet, apiPath, apiSend } from '../api';
import { BLANK_CONTENT, channelsOf, cleanContent } from '../messages/draft';
import { messageOf, problemsOf } from '../messages/problems';
import { useLive } from '../messages/live';
import type {
  ChannelView,
  ContentChannel,
  EmailLayout,
  Template,
  TemplateContent,
  TemplateProblem,
} from '../messages/types';
import { templateHref } from '../router';
import { TextField, SelectField } from '../components/journeys/fields';
import { ContentEditor } from '../components/messages/ContentEditor';
import { ProblemList } from '../components/messages/ProblemList';
import { PreviewPanel } from '../components/messages/PreviewPanel';
import { LayoutGallery } from '../components/messages/LayoutGallery';
import '../segments.css';
import '../journeys.css';
import '../messages.css';
import { currentLocale, t } from '../i18n';

/** The draft's problems as the server finds them (an empty list: none); other failures are thrown. */
async function draftProblems(defaultLocale: string, content: TemplateContent): Promise<TemplateProblem[]> {
  try {
    await apiSend('POST', apiPath('/templates/validate'), { defaultLocale, content: cleanContent(content) });
    return [];
  } catch (err) {
    const list = err instanceof ApiError && err.status === 400 ? problemsOf(err) : null;
    if (list) return list;
    throw err;
  }
}

const snapshot = (name: string, defaultLocale: string, content: TemplateContent) =>
  JSON.stringify({ name, defaultLocale, content: cleanContent(content) });

export function TemplateEditor({ id }: { id: string | null }) {
  const [template, setTemplate] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [newId, setNewId] = useState('');
  const [defaultLocale, setDefaultLocale] = useState('en');
  const [content, setContent] = useState<TemplateContent>(BLANK_CONTENT);
  const [saved, setSaved] = useState(snapshot('', 'en', BLANK_CONTENT));
  const [locale, setLocale] = useState('en');
  const [channel, setChannel] = useState<ContentChannel>('email');
  const [problems, setProblems] = useState<TemplateProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [smsPrice, setSmsPrice] = useState<number | null>(null);
  /** The template on screen (set on load and on create, so that creating it does not load it again). */
  const shown = useRef<string | null | undefined>(undefined);

  function adopt(tpl: Template) {
    shown.current = tpl.id;
    setTemplate(tpl);
    setName(tpl.name);
    setDefaultLocale(tpl.defaultLocale);
    setContent(tpl.content);
    setSaved(snapshot(tpl.name, tpl.defaultLocale, tpl.content));
    setLocale((l) =>
      tpl.content[l] ? l : tpl.defaultLocale in tpl.content ? tpl.defaultLocale : Object.keys(tpl.content)[0]!,
    );
    setChannel((c) => (channelsOf(tpl.content).includes(c) ? c : (channelsOf(tpl.content)[0] ?? 'email')));
  }

  useEffect(() => {
    if (id === shown.current) return;
    shown.current = id;
    let live = true;
    setNotice(null);
    setError(null);
    setProblems([]);
    if (id === null) {
      setTemplate(null);
      setName('');
      setNewId('');
      setDefaultLocale('en');
      setContent(BLANK_CONTENT);
      setSaved(snapshot('', 'en', BLANK_CONTENT));
      setLocale('en');
      setChannel('email');
    } else {
      apiGet<Template>(apiPath(`/templates/${encodeURIComponent(id)}`))
        .then((tpl) => live && adopt(tpl))
        .catch((err) => live && setError(messageOf(err)));
    }
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    apiGet<{ channels: ChannelView[] }>(apiPath('/channels'))
      .then((r) => setSmsPrice(r.channels.find((c) => c.channel === 'sms')?.pricePerMessage ?? null))
      .catch(() => undefined);
  }, []);

  const dirty = snapshot(name, defaultLocale, content) !== saved;
  const locales = Object.keys(content);
  const shownLocale = content[locale] ? locale : locales[0]!;
  // checked as it is typed, on the same pause as the preview
  const liveCheck = useLive(JSON.stringify([defaultLocale, content]), () => draftProblems(defaultLocale, content), 300);

  function startFrom(layout: EmailLayout) {
    setContent(structuredClone(layout.content));
    const first = Object.keys(layout.content)[0]!;
    setDefaultLocale(first);
    setLocale(first);
    setChannel('email');
    if (!name.trim()) setName(layout.name);
  }

  // Never rejects (a failure becomes the page's error), so the buttons call it with `void`.
  async function run(what: () => Promise<string>) {
    setBusy(true);
    setNotice(null);
    setError(null);
    setProblems([]);
    try {
      setNotice(await what());
    } catch (err) {
      const list = problemsOf(err);
      if (list) setProblems(list);
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const check = () =>
    run(async () => {
      await apiSend('POST', apiPath('/templates/validate'), { defaultLocale, content: cleanContent(content) });
      return t('template.noProblems');
    });

  const save = () =>
    run(async () => {
      const body = { name: name.trim(), defaultLocale, content: cleanContent(content) };
      if (!template) {
        const created = await apiSend<Template>('POST', apiPath('/templates'), {
          ...body,
          ...(newId.trim() ? { id: newId.trim() } : {}),
        });
        adopt(created);
        window.location.hash = templateHref(created.id);
        return t('template.savedAs', { name: created.name, id: created.id });
      }
      adopt(await apiSend<Template>('PUT', apiPath(`/templates/${encodeURIComponent(template.id)}`), body));
      return t('editor.saved');
    });

  const remove = () =>
    run(async () => {
      if (!template || !window.confirm(t('template.confirmDelete', { name: template.name }))) return '';
      await apiSend('DELETE', apiPath(`/templates/${encodeURIComponent(template.id)}`));
      window.location.hash = '#/messages';
      return t('template.deleted');
    });

  if (id !== null && !template) {
    return error ? (
      <>
        <h1>{t('title.template')}</h1>
        <p className="error" role="alert">
          {error}
        </p>
        <p>
          <a href="#/messages">{t('template.back')}</a>
        </p>
      </>
    ) : (
      <p className="muted">{t('common.loading')}</p>
    );
  }

  return (
    <>
      <p className="crumbs">
        <a href="#/messages">{t('nav.messages')}</a> /
      </p>
      <h1 data-testid="template-title">{template ? template.name : name || t('title.newTemplate')}</h1>
      <p className="muted ids">
        {template ? <span>{t('common.id', { id: template.id })}</span> : <span>{t('journey.notSaved')}</span>}
        {template && (
          <span>{t('template.updated', { when: new Date(template.updatedAt).toLocaleString(currentLocale()) })}</span>
        )}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={busy || !name.trim() || (!!template && !dirty)}
          onClick={() => void save()}
        >
          {t('common.save')}
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => void check()}>
          {t('template.check')}
        </button>
        {template && (
          <button type="button" className="button secondary danger" disabled={busy} onClick={() => void remove()}>
            {t('common.delete')}
          </button>
        )}
        {dirty && <span className="muted unsaved">{t('template.unsaved')}</span>}
      </div>
      {notice && (
        <p className="notice" role="status" data-testid="template-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="template-error">
          {error}
        </p>
      )}
      <ProblemList
        problems={problems}
        onOpen={(l, c) => {
          if (content[l]) setLocale(l);
          if (c) setChannel(c);
        }}
      />

      {!template && <LayoutGallery onPick={startFrom} />}

      <section className="card tpl-settings">
        <TextField
          label={t('template.name')}
          value={name}
          onChange={setName}
          placeholder={t('template.namePlaceholder')}
        />
        {!template && (
          <TextField label={t('template.id')} hint={t('template.idHint')} value={newId} onChange={setNewId} />
        )}
        <SelectField
          label={t('template.defaultLocale')}
          hint={t('template.defaultLocaleHint')}
          value={defaultLocale}
          options={locales.map((l) => ({ value: l, label: l }))}
          onChange={setDefaultLocale}
        />
      </section>

      <section className="card">
        <ContentEditor
          content={content}
          defaultLocale={defaultLocale}
          locale={shownLocale}
          channel={channel}
          smsPrice={smsPrice}
          onContent={(next) => {
            setContent(next);
            if (!(defaultLocale in next)) setDefaultLocale(Object.keys(next)[0]!);
          }}
          onLocale={setLocale}
          onChannel={setChannel}
        />
        <div className="tpl-live-problems">
          <ProblemList
            problems={liveCheck.result ?? []}
            testId="live-problems"
            onOpen={(l, c) => {
              if (content[l]) setLocale(l);
              if (c) setChannel(c);
            }}
          />
        </div>
      </section>

      <PreviewPanel
        templateId={template?.id ?? null}
        dirty={dirty}
        defaultLocale={defaultLocale}
        content={content}
        tabLocale={shownLocale}
      />
    </>
  );
}
