// The preview's triggering event: none, a built-in sample (a cart, an order, a sign-up), or one of the latest real
// events of a name, the chosen customer's (or, with no customer, the workspace's).
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../../api';
import { useLive } from '../../messages/live';
import type { PreviewEvent, RecentEvent, SampleEventView } from '../../messages/types';
import { t } from '../../i18n';
import { currentLocale } from '../../i18n';

interface Props {
  customer: string;
  value: PreviewEvent;
  onChange: (v: PreviewEvent) => void;
}

const when = (iso: string) => new Date(iso).toLocaleString(currentLocale());

export function PreviewEventField({ customer, value, onChange }: Props) {
  const [samples, setSamples] = useState<SampleEventView[]>([]);
  const [name, setName] = useState('Product Added');
  useEffect(() => {
    apiGet<{ samples: SampleEventView[] }>(apiPath('/templates/preview/samples'))
      .then((r) => setSamples(r.samples))
      .catch(() => undefined);
  }, []);
  const recent = useLive(name.trim() ? JSON.stringify([name.trim(), customer.trim()]) : null, () =>
    apiGet<{ events: RecentEvent[] }>(
      apiPath('/templates/preview/events', { name: name.trim(), customer: customer.trim(), limit: 10 }),
    ),
  );
  const events = recent.result?.events ?? [];
  const selected = value.kind === 'none' ? '' : `${value.kind}:${value.id}`;
  const choose = (v: string) => {
    const [kind, id] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
    const sample = samples.find((s) => s.id === id);
    const event = events.find((e) => e.id === id);
    if (kind === 'sample' && sample) onChange({ kind: 'sample', id: sample.id });
    else if (kind === 'event' && event)
      onChange({ kind: 'event', id: event.id, name: event.name, properties: event.properties });
    else onChange({ kind: 'none' });
  };
  return (
    <>
      <label className="field jf">
        {t('preview.event')}
        <select value={selected} onChange={(e) => choose(e.target.value)}>
          <option value="">{t('preview.none')}</option>
          <optgroup label={t('preview.samples')}>
            {samples.map((s) => (
              <option key={s.id} value={`sample:${s.id}`}>
                {s.label}
              </option>
            ))}
          </optgroup>
          <optgroup
            label={
              customer.trim()
                ? t('preview.recentOf', { name: name.trim(), customer: customer.trim() })
                : t('preview.recent', { name: name.trim() })
            }
          >
            {events.map((e) => (
              <option key={e.id} value={`event:${e.id}`}>{`${e.name} · ${when(e.timestamp)}`}</option>
            ))}
            {value.kind === 'event' && !events.some((e) => e.id === value.id) && (
              <option value={selected}>{t('preview.chosenEarlier', { name: value.name })}</option>
            )}
          </optgroup>
        </select>
      </label>
      <label className="field jf">
        {t('preview.recentNamed')}
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Product Added" />
      </label>
    </>
  );
}
