// Loyalty: points ledger, earn rules, expiry, tiers, rewards and redemption. What other capabilities may use.
export { ProgramSettings, ProgramPatch, defaultProgram } from './program.ts';
export type { ProgramPatchInput } from './program.ts';
export {
  RedeemRequest,
  AdjustRequest,
  redeem,
  adjust,
  customerLoyalty,
  getProgram,
  putProgram,
  liabilityReport,
  EXPIRING_WITHIN_DAYS,
} from './service.ts';
export type { RedeemAnswer, AdjustAnswer, CustomerLoyalty } from './service.ts';
export { RewardInput, listRewards, getReward, putReward, deleteReward, REWARD_KINDS } from './rewards.ts';
export type { Reward } from './rewards.ts';
export { loyaltyJob, loyaltyPass } from './job.ts';
export { loyaltyForBatch } from './earn-on-ingest.ts';
export { mergeLoyalty } from './merge.ts';
export { LOYALTY_EVENT_NAMES, TIER_CHANGED } from './events.ts';
export { lotsExpiringIn } from './store.ts';
export { loyaltyContexts } from './template.ts';
export type { LoyaltyContext } from './template.ts';
export { referralCode } from './referrals.ts';
export { cardNumber, customerOfCard } from './card.ts';
