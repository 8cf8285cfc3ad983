// The loyalty API's shapes as the dashboard reads them (GET /api/v1/loyalty/program, rewards, liability, a customer's loyalty).
export interface Tier {
  name: string;
  threshold: number;
  multiplier: number;
  freeShipping: boolean;
}

export interface Bonus {
  event: string;
  points: number;
  where?: Record<string, string | number | boolean>;
  once: boolean;
}

export interface Campaign {
  name: string;
  from: string;
  to: string;
  multiplier: number;
}

export interface Program {
  enabled: boolean;
  pointsPerUnit: number;
  rounding: 'down' | 'nearest' | 'up';
  currencyRates: Record<string, number>;
  excludedProducts: string[];
  excludedCategories: string[];
  pendingDays: number;
  expiryMonths: number | null;
  bonuses: Bonus[];
  campaigns: Campaign[];
  tiers: Tier[];
  tierBasis: 'points' | 'spend';
  tierWindowMonths: number;
  downgrade: 'periodEnd' | 'immediate';
  tierPeriodMonths: number;
  pointValue: number;
}

export type RewardKind = 'coupon' | 'discount' | 'gift';

export interface Reward {
  id: string;
  name: string;
  kind: RewardKind;
  cost: number;
  value: number | null;
  couponPool: string | null;
  active: boolean;
}

export interface Liability {
  available: number;
  pending: number;
  points: number;
  pointValue: number;
  value: number;
}

export interface LedgerEntry {
  id: string;
  kind: string;
  points: number;
  available: number;
  pending: number;
  source: string;
  reason: string | null;
  actor: string | null;
  at: string;
}

export interface CustomerLoyalty {
  customerId: string;
  available: number;
  pending: number;
  tier: string | null;
  benefits: { multiplier: number; freeShipping: boolean };
  pointsExpiring: { points: number; first: string | null; withinDays: number };
  ledger: LedgerEntry[];
}
