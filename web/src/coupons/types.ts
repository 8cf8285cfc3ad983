// Coupon pools as the API answers them (src/coupons/pools.ts), and the form's draft of a pool with its value map as rows.
export type ValueKind = 'amount' | 'percent' | 'free_shipping';

export interface PoolView {
  id: string;
  name: string;
  value: { kind: ValueKind; amount?: number; currency?: string };
  valueMap: { by: 'rfm_segment' | 'tier'; map: Record<string, number>; default?: number } | null;
  validity: { days: number } | { until: string };
  lowStock: number;
  stock: { available: number; assigned: number; redeemed: number; expired: number; total: number; lowStock: boolean };
}

export type CodeStatus = 'available' | 'assigned' | 'redeemed' | 'expired';

export interface CodeView {
  code: string;
  status: CodeStatus;
  customerId: string | null;
  journeyId: string | null;
  assignedAt: string | null;
  expiresAt: string | null;
  redeemedAt: string | null;
  orderId: string | null;
}

export interface MapRow {
  key: string;
  amount: string;
}

export interface PoolDraft {
  id: string;
  name: string;
  kind: ValueKind;
  amount: string;
  currency: string;
  validity: 'days' | 'until';
  days: string;
  until: string;
  lowStock: string;
  by: '' | 'rfm_segment' | 'tier';
  rows: MapRow[];
  fallback: string;
}

export const emptyDraft = (): PoolDraft => ({
  id: '',
  name: '',
  kind: 'amount',
  amount: '',
  currency: 'EUR',
  validity: 'days',
  days: '30',
  until: '',
  lowStock: '100',
  by: '',
  rows: [{ key: '', amount: '' }],
  fallback: '',
});

const num = (s: string) => (s.trim() === '' ? undefined : Number(s.replace(',', '.')));

/** The API body of a draft (the server checks it and names a bad field). */
export function poolBody(d: PoolDraft): Record<string, unknown> {
  const value =
    d.kind === 'free_shipping'
      ? { kind: d.kind }
      : d.kind === 'percent'
        ? { kind: d.kind, amount: num(d.amount) }
        : { kind: d.kind, amount: num(d.amount), currency: d.currency.trim() };
  const rows = d.rows.filter((r) => r.key.trim() && r.amount.trim());
  return {
    ...(d.id.trim() ? { id: d.id.trim() } : {}),
    name: d.name,
    value,
    valueMap:
      d.by && d.kind !== 'free_shipping'
        ? {
            by: d.by,
            map: Object.fromEntries(rows.map((r) => [r.key.trim(), num(r.amount)])),
            ...(num(d.fallback) !== undefined ? { default: num(d.fallback) } : {}),
          }
        : null,
    validity: d.validity === 'days' ? { days: num(d.days) } : { until: d.until ? new Date(d.until).toISOString() : '' },
    lowStock: num(d.lowStock) ?? 0,
  };
}
