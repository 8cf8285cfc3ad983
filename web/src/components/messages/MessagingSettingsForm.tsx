// The send gate's settings: frequency caps per channel and over all channels, quiet hours, double opt-in for e-mail,
// and the sender (name and identification) that messages carry: the one place to edit it.
import { useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { messageOf } from '../../messages/problems';
import { SEND_CHANNELS, type Cap, type MessagingSettings } from '../../messages/types';
import { t } from '../../i18n';

const SCOPES = ['all', ...SEND_CHANNELS] as const;
type Scope = (typeof SCOPES)[number];
type CapText = Record<Scope, { perDay: string; perWeek: string }>;

const capText = (caps: MessagingSettings['caps']): CapText =>
  Object.fromEntries(
    SCOPES.map((s) => [s, { perDay: caps[s]?.perDay?.toString() ?? '', perWeek: caps[s]?.perWeek?.toString() ?? '' }]),
  ) as CapText;

/** Caps from the typed text: empty is no cap; anything else must be a whole number. */
function parseCaps(text: CapText): { caps: MessagingSettings['caps'] } | { problem: string } {
  const caps: MessagingSettings['caps'] = {};
  for (const s of SCOPES) {
    const cap: Cap = {};
    for (const k of ['perDay', 'perWeek'] as const) {
      const typed = text[s][k].trim();
      if (!typed) continue;
      if (!/^\d+$/.test(typed))
        return {
          problem:
            k === 'perDay'
              ? t('settings.dailyCapWhole', { scope: s === 'all' ? t('settings.allChannels') : s })
              : t('settings.weeklyCapWhole', { scope: s === 'all' ? t('settings.allChannels') : s }),
        };
      cap[k] = Number(typed);
    }
    if (cap.perDay !== undefined || cap.perWeek !== undefined) caps[s] = cap;
  }
  return { caps };
}

export function MessagingSettingsForm() {
  const [caps, setCaps] = useState<CapText | null>(null);
  const [quiet, setQuiet] = useState({ on: false, from: '21:00', to: '09:00' });
  const [doubleOptIn, setDoubleOptIn] = useState(false);
  const [sender, setSender] = useState('');
  const [senderName, setSenderName] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  function adopt(s: MessagingSettings) {
    setCaps(capText(s.caps));
    setQuiet(s.quietHours ? { on: true, ...s.quietHours } : { on: false, from: '21:00', to: '09:00' });
    setDoubleOptIn(s.doubleOptInEmail);
    setSender(s.senderIdentification ?? '');
    setSenderName(s.senderName ?? '');
  }

  useEffect(() => {
    apiGet<MessagingSettings>(apiPath('/settings/messaging'))
      .then(adopt)
      .catch((err) => setResult({ ok: false, text: messageOf(err) }));
  }, []);

  async function save() {
    if (!caps) return;
    const parsed = parseCaps(caps);
    if ('problem' in parsed) return setResult({ ok: false, text: parsed.problem });
    setBusy(true);
    setResult(null);
    try {
      const body = {
        caps: parsed.caps,
        quietHours: quiet.on ? { from: quiet.from, to: quiet.to } : null,
        doubleOptInEmail: doubleOptIn,
        senderName: senderName.trim() || null,
        senderIdentification: sender.trim() || null,
      };
      adopt(await apiSend<MessagingSettings>('PUT', apiPath('/settings/messaging'), body));
      setResult({ ok: true, text: t('settings.saved') });
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  const setCap = (s: Scope, k: 'perDay' | 'perWeek', v: string) =>
    setCaps((c) => (c ? { ...c, [s]: { ...c[s], [k]: v } } : c));
  const label = (s: Scope) => (s === 'all' ? t('settings.allChannels') : s);

  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.title')}</h2>
      {!caps && !result && <p className="muted">{t('common.loading')}</p>}
      {caps && (
        <form className="msg-settings" onSubmit={(e) => (e.preventDefault(), void save())}>
          <fieldset className="jf-group">
            <legend>{t('settings.caps')}</legend>
            <table className="table caps-table">
              <thead>
                <tr>
                  <th>{t('action.channel')}</th>
                  <th className="num">{t('settings.per24h')}</th>
                  <th className="num">{t('settings.per7d')}</th>
                </tr>
              </thead>
              <tbody>
                {SCOPES.map((s) => (
                  <tr key={s}>
                    <td>{label(s)}</td>
                    <td className="num">
                      <input
                        type="text"
                        inputMode="numeric"
                        aria-label={t('settings.dailyCap', { scope: label(s) })}
                        value={caps[s].perDay}
                        onChange={(e) => setCap(s, 'perDay', e.target.value)}
                      />
                    </td>
                    <td className="num">
                      <input
                        type="text"
                        inputMode="numeric"
                        aria-label={t('settings.weeklyCap', { scope: label(s) })}
                        value={caps[s].perWeek}
                        onChange={(e) => setCap(s, 'perWeek', e.target.value)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
          <fieldset className="jf-group">
            <legend>{t('settings.quiet')}</legend>
            <label className="jf-check">
              <input
                type="checkbox"
                checked={quiet.on}
                onChange={(e) => setQuiet({ ...quiet, on: e.target.checked })}
              />{' '}
              {t('settings.holdQuiet')}
            </label>
            <div className="msg-quiet">
              <label className="field jf">
                {t('settings.quietFrom')}
                <input
                  type="time"
                  disabled={!quiet.on}
                  value={quiet.from}
                  onChange={(e) => setQuiet({ ...quiet, from: e.target.value })}
                />
              </label>
              <label className="field jf">
                {t('settings.quietUntil')}
                <input
                  type="time"
                  disabled={!quiet.on}
                  value={quiet.to}
                  onChange={(e) => setQuiet({ ...quiet, to: e.target.value })}
                />
              </label>
            </div>
          </fieldset>
          <label className="jf-check">
            <input type="checkbox" checked={doubleOptIn} onChange={(e) => setDoubleOptIn(e.target.checked)} /> Double
            opt-in for e-mail marketing (confirmed by a link)
          </label>
          <label className="field jf">
            {t('settings.senderName')}
            <input
              type="text"
              value={senderName}
              placeholder={t('settings.senderNamePlaceholder')}
              onChange={(e) => setSenderName(e.target.value)}
            />
          </label>
          <label className="field jf">
            {t('settings.senderId')}
            <textarea
              rows={2}
              value={sender}
              placeholder={t('settings.senderIdPlaceholder')}
              onChange={(e) => setSender(e.target.value)}
            />
          </label>
          <p className="note tpl-note">
            Who sends: every marketing e-mail carries it ({'{{ sender.identification }}'} in a template places it;
            otherwise it is added as a footer line), as 38-FZ asks of advertising.
          </p>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {t('settings.save')}
            </button>
          </div>
        </form>
      )}
      {result && (
        <p
          className={result.ok ? 'notice' : 'error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="settings-result"
        >
          {result.text}
        </p>
      )}
    </section>
  );
}
