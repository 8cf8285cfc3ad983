// Hand-written hash router: parses #/overview, #/customers, #/customers/<id>, #/segments, #/segments/<id>, #/journeys,
// #/journeys/new, #/journeys/<id>, #/messages, #/messages/templates/new, #/messages/templates/<id>, #/analytics, #/rfm, #/models,
// #/channels, #/channels/<channel>, #/results, #/loyalty and #/coupons.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'overview' }
  | { page: 'customers'; rfm?: RfmCell }
  | { page: 'customer'; id: string }
  | { page: 'segments' }
  | { page: 'segment'; id: string }
  | { page: 'journeys' }
  | { page: 'journey'; id: string | null }
  | { page: 'messages' }
  | { page: 'template'; id: string | null }
  | { page: 'analytics' }
  | { page: 'rfm' }
  | { page: 'models' }
  | { page: 'channels' }
  | { page: 'channel'; channel: string }
  | { page: 'results' }
  | { page: 'loyalty' }
  | { page: 'coupons' };

/** One cell of the RFM grid: the customers with these R and F scores. */
export interface RfmCell {
  r: number;
  f: number;
}

export function parseHash(hash: string): Route | null {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || (parts[0] === 'overview' && parts.length === 1)) return { page: 'overview' };
  if (parts[0] === 'customers' && parts.length === 1) {
    const cell = /^([1-5])-([1-5])$/.exec(new URLSearchParams(query).get('rfm') ?? '');
    return cell ? { page: 'customers', rfm: { r: Number(cell[1]), f: Number(cell[2]) } } : { page: 'customers' };
  }
  if (parts[0] === 'customers' && parts.length === 2) {
    try {
      return { page: 'customer', id: decodeURIComponent(parts[1]) };
    } catch {
      return null;
    }
  }
  if (parts[0] === 'rfm' && parts.length === 1) return { page: 'rfm' };
  if (parts[0] === 'models' && parts.length === 1) return { page: 'models' };
  if (parts[0] === 'segments' && parts.length === 1) return { page: 'segments' };
  if (parts[0] === 'segments' && parts.length === 2) {
    try {
      return { page: 'segment', id: decodeURIComponent(parts[1]) };
    } catch {
      return null;
    }
  }
  if (parts[0] === 'journeys' && parts.length === 1) return { page: 'journeys' };
  if (parts[0] === 'journeys' && parts.length === 2) {
    if (parts[1] === 'new') return { page: 'journey', id: null };
    try {
      return { page: 'journey', id: decodeURIComponent(parts[1]) };
    } catch {
      return null;
    }
  }
  if (parts[0] === 'messages' && parts.length === 1) return { page: 'messages' };
  if (parts[0] === 'messages' && parts[1] === 'templates' && parts.length === 3) {
    if (parts[2] === 'new') return { page: 'template', id: null };
    try {
      return { page: 'template', id: decodeURIComponent(parts[2]) };
    } catch {
      return null;
    }
  }
  if (parts[0] === 'analytics' && parts.length === 1) return { page: 'analytics' };
  if (parts[0] === 'results' && parts.length === 1) return { page: 'results' };
  if (parts[0] === 'loyalty' && parts.length === 1) return { page: 'loyalty' };
  if (parts[0] === 'channels' && parts.length === 1) return { page: 'channels' };
  if (parts[0] === 'coupons' && parts.length === 1) return { page: 'coupons' };
  if (parts[0] === 'channels' && parts.length === 2) {
    try {
      return { page: 'channel', channel: decodeURIComponent(parts[1]) };
    } catch {
      return null;
    }
  }
  return null;
}

export function templateHref(id: string): string {
  return `#/messages/templates/${encodeURIComponent(id)}`;
}

export function segmentHref(id: string): string {
  return `#/segments/${encodeURIComponent(id)}`;
}

export function journeyHref(id: string): string {
  return `#/journeys/${encodeURIComponent(id)}`;
}

/** The customer list of one RFM cell. */
export function rfmCustomersHref(cell: RfmCell): string {
  return `#/customers?rfm=${cell.r}-${cell.f}`;
}

export function customerHref(id: string): string {
  return `#/customers/${encodeURIComponent(id)}`;
}

export function useHashRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseHash(hash) ?? { page: 'overview' };
}
