// Segment condition kinds: one handler record per kind (schema and validation, SQL, time-crossing queries,
// dependencies). A kind is declared in LeafNodes and handled in CONDITIONS; TypeScript refuses a kind without a handler.
import type { ConditionHandler } from './handler.ts';
import { trait, type TraitNode } from './trait.ts';
import { aggregate, type AggregateNode } from './aggregate.ts';
import { event, type EventNode } from './event.ts';
import { score, type ScoreNode } from './score.ts';
import { segment, type SegmentNode } from './segment.ts';
import { consent, type ConsentNode } from './consent.ts';
import { points, type PointsNode } from './points.ts';
import { tier, type TierNode } from './tier.ts';
import { coupon, type CouponNode } from './coupon.ts';

/** Each leaf kind (its key in a node) and the node it is. */
export interface LeafNodes {
  trait: TraitNode;
  aggregate: AggregateNode;
  event: EventNode;
  score: ScoreNode;
  segment: SegmentNode;
  consent: ConsentNode;
  points: PointsNode;
  tier: TierNode;
  coupon: CouponNode;
}
export type LeafKind = keyof LeafNodes;
export type Leaf = LeafNodes[LeafKind];
/** A handler for every kind: leaving one out is a compile error. */
export type ConditionHandlers = { [K in LeafKind]: ConditionHandler<LeafNodes[K]> };

export const CONDITIONS: ConditionHandlers = { trait, aggregate, event, score, segment, consent, points, tier, coupon };

/** The leaf kinds, in the order error messages list them. */
export const LEAF_KINDS = Object.keys(CONDITIONS) as LeafKind[];

/** The kind of a (valid) leaf node: the one kind key it holds. */
export const kindOf = (n: Leaf): LeafKind => LEAF_KINDS.find((k) => k in n)!;

/** The handler of a leaf node. */
export const handlerOf = (n: Leaf) => CONDITIONS[kindOf(n)] as ConditionHandler<Leaf>;

export type { ConditionHandler, CrossingQuery, Reads } from './handler.ts';
export type {
  TraitNode,
  AggregateNode,
  EventNode,
  ScoreNode,
  SegmentNode,
  ConsentNode,
  PointsNode,
  TierNode,
  CouponNode,
};
