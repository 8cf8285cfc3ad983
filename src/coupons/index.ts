// Coupons: pools of unique codes, their assignment by journey send steps and their redemption by orders.
export { assignCoupons, releaseCoupons, type Assignment, type CouponIntent, type TemplateCoupon } from './assign.ts';
export { redeemCoupons } from './redeem.ts';
export {
  createPool,
  deletePool,
  generateCodes,
  getPool,
  importCodes,
  listCodes,
  listPools,
  updatePool,
  type CodeView,
  type Pool,
} from './pools.ts';
export { GenerateInput, ImportInput, PoolInput } from './schema.ts';
