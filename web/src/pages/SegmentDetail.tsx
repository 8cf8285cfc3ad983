// Segment page: definition, evaluate / edit / archive, entries and exits per day, and the paged members table.
import { useEffect, useRef, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { SegmentActivityChart } from '../components/SegmentActivityChart';
import { SegmentBuilder } from '../components/SegmentBuilder';
import { EMPTY, formatDate, formatNumber } from '../format';
import { customerHref } from '../router';
import { prettyDefinition } from '../segmentRows';
import type {
  Segment,
  SegmentActivity,
  SegmentEvaluation,
  SegmentMember,
  SegmentMembersResponse,
  SegmentsResponse,
} from '../types';
import '../segments.css';
import { t } from '../i18n';

const PAGE_SIZE = 50;
const ACTIVITY_DAYS = 30;

export function SegmentDetail({ id }: { id: string }) {
  const base = `/segments/${encodeURIComponent(id)}`;
  const [segment, setSegment] = useState<Segment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [activity, setActivity] = useState<SegmentActivity | null>(null);
  const [members, setMembers] = useState<SegmentMember[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [membersLoading, setMembersLoading] = useState(true);
  const [others, setOthers] = useState<Segment[]>([]);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const live = useRef(true);

  async function loadMembers(after: string | null) {
    setMembersLoading(true);
    try {
      const res = await apiGet<SegmentMembersResponse>(apiPath(`${base}/members`, { limit: PAGE_SIZE, cursor: after }));
      if (!live.current) return;
      setMembers((prev) => (after ? [...prev, ...res.members] : res.members));
      setCursor(res.nextCursor);
    } catch (err) {
      if (live.current) setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      if (live.current) setMembersLoading(false);
    }
  }

  async function loadAll() {
    try {
      const [seg, act] = await Promise.all([
        apiGet<Segment>(apiPath(base)),
        apiGet<SegmentActivity>(apiPath(`${base}/activity`, { days: ACTIVITY_DAYS })),
      ]);
      if (!live.current) return;
      setSegment(seg);
      setActivity(act);
    } catch (err) {
      if (live.current) setError(err instanceof Error ? err.message : String(err));
      return;
    }
    await loadMembers(null);
  }

  useEffect(() => {
    live.current = true;
    void loadAll();
    apiGet<SegmentsResponse>(apiPath('/segments'))
      .then((res) => live.current && setOthers(res.segments.filter((s) => s.id !== id && s.status === 'active')))
      .catch(() => undefined);
    return () => {
      live.current = false;
    };
    // The page is keyed by segment id, so this runs once per segment.
  }, [id]);

  // Never rejects (a failure becomes the page's error), so the buttons call it with `void`.
  async function act(what: () => Promise<string>) {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      const message = await what();
      if (!live.current) return;
      setNotice(message);
      await loadAll();
    } catch (err) {
      if (live.current) setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      if (live.current) setBusy(false);
    }
  }

  const evaluate = () =>
    act(async () => {
      const r = await apiSend<SegmentEvaluation>('POST', apiPath(`${base}/evaluate`));
      return t('segment.evaluatedNotice', { entered: r.entered, exited: r.exited, count: r.members });
    });

  const setStatus = (status: 'active' | 'archived') =>
    act(async () => {
      await apiSend<Segment>('PATCH', apiPath(base), { status });
      return status === 'archived' ? t('segment.archivedNotice') : t('segment.reactivatedNotice');
    });

  async function saveEdit(name: string, definition: unknown) {
    await apiSend<Segment>('PATCH', apiPath(base), { name, definition });
    setEditing(false);
    await act(async () => {
      const r = await apiSend<SegmentEvaluation>('POST', apiPath(`${base}/evaluate`));
      return t('segment.savedNotice', { entered: r.entered, exited: r.exited });
    });
  }

  if (error) {
    return (
      <>
        <h1>{t('title.segment')}</h1>
        <p className="error" role="alert">
          {error}
        </p>
        <p>
          <a href="#/segments">{t('segment.back')}</a>
        </p>
      </>
    );
  }
  if (!segment) return <p className="muted">{t('common.loading')}</p>;

  return (
    <>
      <p className="crumbs">
        <a href="#/segments">{t('nav.segments')}</a> /
      </p>
      <h1 data-testid="segment-title">{segment.name}</h1>
      <p className="muted ids">
        <span>
          <strong data-testid="segment-member-count">{formatNumber(segment.members)}</strong>{' '}
          {t('segment.membersWord', { count: segment.members })}
        </span>
        <span>
          {segment.status === 'archived' ? (
            <span className="tag archived">{t('status.archived')}</span>
          ) : (
            <span className="tag">{t('status.active')}</span>
          )}
        </span>
        <span>
          {segment.evaluatedAt
            ? t('segment.evaluatedAt', { when: formatDate(segment.evaluatedAt) })
            : t('segment.evaluatedNext')}
        </span>
        <span>{t('segment.updatedAt', { when: formatDate(segment.updatedAt) })}</span>
        <span>{t('common.id', { id: segment.id })}</span>
      </p>

      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => void evaluate()}>
          {t('segment.evaluateNow')}
        </button>
        <button type="button" className="button secondary" disabled={busy || editing} onClick={() => setEditing(true)}>
          {t('common.edit')}
        </button>
        {segment.status === 'active' ? (
          <button type="button" className="button secondary" disabled={busy} onClick={() => void setStatus('archived')}>
            {t('common.archive')}
          </button>
        ) : (
          <button type="button" className="button secondary" disabled={busy} onClick={() => void setStatus('active')}>
            {t('common.reactivate')}
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}

      <section className="card">
        {editing ? (
          <>
            <h2>{t('segment.edit')}</h2>
            <SegmentBuilder
              segments={others.map((s) => ({ value: s.id, label: s.name }))}
              initial={{ name: segment.name, definition: segment.definition }}
              saveLabel={t('common.saveChanges')}
              onSave={saveEdit}
              onCancel={() => setEditing(false)}
            />
          </>
        ) : (
          <>
            <h2>{t('segment.definition')}</h2>
            <pre className="definition" data-testid="segment-definition">
              {prettyDefinition(segment.definition)}
            </pre>
          </>
        )}
      </section>

      <section className="card">
        <h2>
          {t('segment.entriesExits')}{' '}
          <span className="muted">
            {t('segment.entriesExitsNote', {
              days: ACTIVITY_DAYS,
              entered: activity?.entered ?? 0,
              exited: activity?.exited ?? 0,
            })}
          </span>
        </h2>
        <SegmentActivityChart days={activity?.days ?? []} />
      </section>

      <section className="card">
        <h2>{t('segments.members')}</h2>
        {!membersLoading && members.length === 0 ? (
          <p className="muted empty" data-testid="members-empty">
            {segment.evaluatedAt ? t('segment.noMembers') : t('segment.noMembersYet')}
          </p>
        ) : (
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th>{t('title.customer')}</th>
                <th>{t('customers.email')}</th>
                <th>{t('segment.entered')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} data-testid="member-row">
                  <td>
                    <a href={customerHref(m.id)}>{m.userId ?? m.email ?? t('segment.customerN', { id: m.id })}</a>
                  </td>
                  <td>{m.email ?? EMPTY}</td>
                  <td className="nowrap">{formatDate(m.enteredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {membersLoading && <p className="muted">{t('common.loading')}</p>}
        {cursor && !membersLoading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void loadMembers(cursor)}>
              {t('common.loadMore')}
            </button>
          </div>
        )}
      </section>
    </>
  );
}
