// Messaging: the public surface of src/messaging/, what other capabilities import from it (see docs/architecture.md, Layers).
export { dispatchMessagesJob, dropStaleReceiptsJob, publicUrl, recoverSendsJob } from './dispatch/job.ts';
export { applyReceipt, RECEIPT_STATUSES, type ReceiptStatus } from './dispatch/receipts.ts';
export { getGateSettings, putGateSettings } from './gate-settings.ts';
export { addDays, lastDays, parseDay, spanDays } from './metrics/days.ts';
export { isCursor, listMessages, LOG_STATUSES } from './metrics/list.ts';
export { notSentCounts } from './metrics/outcomes.ts';
export { DIMENSIONS } from './metrics/query.ts';
export { messageMetrics } from './metrics/report.ts';
export { InvalidTemplate } from './templates/errors.ts';
export { EMAIL_LAYOUTS } from './templates/layouts/index.ts';
export { outgoingMessage } from './templates/outgoing.ts';
export { findCustomer, type PreviewRequest, previewTemplate, recentEvents } from './templates/preview.ts';
export { closeRenderPool } from './templates/render-pool.ts';
export { SAMPLE_EVENT_IDS, SAMPLE_EVENTS } from './templates/samples.ts';
export {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
  validateTemplate,
} from './templates/store.ts';
export { recordClick, recordOpen, type TrackingRequest } from './tracking/record.ts';
export { readTracking } from './tracking/tokens.ts';
export { OUTCOME_REASONS } from './types.ts';
