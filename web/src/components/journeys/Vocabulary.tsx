// The datalists the editor's fields suggest from: the workspace's event names (with counts), the trigger event's
// property keys and the trait keys (with sample values), templates, channels, segments and coupon pools.
import type { Vocabulary } from '../../journeys/useVocabulary';
import { SEND_CHANNELS } from '../../../../src/journeys/channels.ts';
import { t } from '../../i18n';

export const LISTS = {
  events: 'journey-events',
  properties: 'journey-properties',
  traits: 'journey-traits',
  templates: 'journey-templates',
  channels: 'journey-channels',
  segments: 'journey-segments',
  pools: 'journey-coupon-pools',
} as const;

const samples = (s: (string | number | boolean)[]) =>
  s.length ? t('vocabulary.eg', { list: s.slice(0, 3).map(String).join(', ') }) : '';

export function VocabularyLists({
  vocabulary: v,
  segments,
}: {
  vocabulary: Vocabulary;
  segments: { id: string; name: string }[];
}) {
  const channels = [...new Set([...v.channels, ...Object.keys(SEND_CHANNELS)])];
  return (
    <>
      <datalist id={LISTS.events}>
        {v.events.map((e) => (
          <option key={e.name} value={e.name}>
            {t('vocabulary.nEvents', { count: e.count })}
          </option>
        ))}
      </datalist>
      <datalist id={LISTS.properties}>
        {v.properties.map((p) => (
          <option key={p.key} value={p.key}>
            {samples(p.samples)}
          </option>
        ))}
      </datalist>
      <datalist id={LISTS.traits}>
        {v.traits.map((p) => (
          <option key={p.key} value={p.key}>
            {samples(p.samples)}
          </option>
        ))}
      </datalist>
      <datalist id={LISTS.templates}>
        {v.templates.map((t) => (
          <option key={t.id} value={t.id}>{`${t.name} (${t.channels.join(', ')})`}</option>
        ))}
      </datalist>
      <datalist id={LISTS.channels}>
        {channels.map((c) => (
          <option key={c} value={c}>
            {v.channels.includes(c) ? t('vocabulary.configured') : t('vocabulary.notConfigured')}
          </option>
        ))}
      </datalist>
      <datalist id={LISTS.segments}>
        {segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </datalist>
      <datalist id={LISTS.pools}>
        {v.pools.map((p) => (
          <option key={p.id} value={p.id}>
            {t('action.couponPoolOption', { name: p.name, count: p.stock.available })}
          </option>
        ))}
      </datalist>
    </>
  );
}
