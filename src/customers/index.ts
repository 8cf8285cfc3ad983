// Customers: the public surface of src/customers/, what other capabilities import from it (see docs/architecture.md, Layers).
export { withAnonymousIds } from './anonymous-ids.ts';
export { queueChanges } from './change-queue.ts';
export {
  customerProfile,
  customerTimeline,
  eraseCustomer,
  exportCustomer,
  getCustomer,
  searchCustomers,
} from './customers.ts';
export { CUSTOMER_SORTS, listCursor, listOrder } from './list-order.ts';
export {
  COUPON_REDEEMED,
  COUPON_REFUSED,
  isOwnEventName,
  LIFECYCLE_STAGE_CHANGED,
  ownMessageIdPrefix,
  SEGMENT_ENTERED,
  SEGMENT_EVENT_PREFIX,
  SEGMENT_EXITED,
} from './own-event-names.ts';
export { logOwnEvents, type OwnEvent } from './own-events.ts';
export { upsertProducts } from './products.ts';
export { overviewStats } from './stats.ts';
export { type CustomerRow, customerView } from './view.ts';
