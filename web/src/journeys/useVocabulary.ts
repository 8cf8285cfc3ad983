// useVocabulary: what the workspace's data names, for the editor's pickers: event names with counts, trait keys and
// the trigger event's property keys with sample values (GET /catalog/…), templates, configured channels and coupon pools.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../api';

export interface KeySummary {
  key: string;
  seen: number;
  samples: (string | number | boolean)[];
}

export interface Vocabulary {
  events: { name: string; count: number }[];
  traits: KeySummary[];
  properties: KeySummary[];
  templates: { id: string; name: string; channels: string[] }[];
  channels: string[];
  pools: { id: string; name: string; stock: { available: number } }[];
}

const EMPTY: Vocabulary = { events: [], traits: [], properties: [], templates: [], channels: [], pools: [] };

export function useVocabulary(triggerEvent: string | undefined): Vocabulary {
  const [v, setV] = useState<Vocabulary>(EMPTY);
  useEffect(() => {
    let live = true;
    const load = <T>(path: string, pick: (r: T) => Partial<Vocabulary>) =>
      apiGet<T>(apiPath(path))
        .then((r) => live && setV((x) => ({ ...x, ...pick(r) })))
        .catch(() => undefined);
    void load<{ events: Vocabulary['events'] }>('/catalog/events', (r) => ({ events: r.events }));
    void load<{ traits: KeySummary[] }>('/catalog/traits', (r) => ({ traits: r.traits }));
    void load<{ templates: Vocabulary['templates'] }>('/templates', (r) => ({ templates: r.templates }));
    void load<{ channels: { channel: string }[] }>('/channels', (r) => ({
      channels: r.channels.map((c) => c.channel),
    }));
    void load<{ pools: Vocabulary['pools'] }>('/coupons/pools', (r) => ({ pools: r.pools }));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (!triggerEvent) return;
    let live = true;
    apiGet<{ properties: KeySummary[] }>(
      apiPath(`/catalog/events/properties?event=${encodeURIComponent(triggerEvent)}`),
    )
      .then((r) => live && setV((x) => ({ ...x, properties: r.properties })))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [triggerEvent]);
  return v;
}
