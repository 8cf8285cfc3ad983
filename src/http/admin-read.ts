// Admin reads as HTTP answers: an expensive read cut off by its time limit is 422 in words for the marketer (what to
// simplify), a workspace with too many reads at once is 503 with Retry-After; never a 500.
import {
  type Db,
  type Queryable,
  AdminReadsBusy,
  AdminReadTimeout,
  adminReads,
  type AdminReadLimits,
} from '../store/index.ts';
import { DomainError } from '../lib/index.ts';

/** What an admin read is, for the words of its answer. */
export type AdminRead = 'segment_preview' | 'segment_activity' | 'customer_search' | 'message_metrics' | 'message_log';

function tooExpensive(what: AdminRead, seconds: string): string {
  switch (what) {
    case 'segment_preview':
      return `This segment is too expensive to preview (it ran for more than ${seconds} s and was stopped): simplify it — fewer conditions, fewer event conditions over long periods, or split it into smaller segments — and preview again.`;
    case 'segment_activity':
      return `This segment's activity took more than ${seconds} s to count and was stopped: ask for fewer days.`;
    case 'customer_search':
      return `This search took more than ${seconds} s and was stopped: search by an exact user id, e-mail or phone, or by a trait value that fewer customers share.`;
    case 'message_metrics':
      return `These metrics took more than ${seconds} s to count and were stopped: ask for a shorter range of days, or by day instead of by journey or template.`;
    case 'message_log':
      return `This page of the message log took more than ${seconds} s and was stopped: narrow it to a customer, a journey or a status.`;
  }
}

export type AdminReader = <T>(
  db: Db,
  workspace: string,
  what: AdminRead,
  read: (q: Queryable) => Promise<T>,
) => Promise<T>;

/** Runs admin reads within `limits`, answering their refusals as HTTP errors. */
export function adminReader(limits: AdminReadLimits): AdminReader {
  const reads = adminReads(limits);
  const seconds = (limits.timeoutMs / 1000).toLocaleString('en', { maximumFractionDigits: 2 });
  return async (db, workspace, what, read) => {
    try {
      return await reads.run(db, workspace, read);
    } catch (err) {
      if (err instanceof AdminReadTimeout) throw new DomainError('too_expensive', 422, tooExpensive(what, seconds));
      if (err instanceof AdminReadsBusy) {
        throw new DomainError(
          'busy',
          503,
          `This workspace already runs ${err.running} expensive reads (previews, searches, reports) and more are waiting: wait for them to finish, then try again.`,
          { details: { retryAfter: Math.max(1, Math.ceil(limits.timeoutMs / 1000)) } },
        );
      }
      throw err;
    }
  };
}
