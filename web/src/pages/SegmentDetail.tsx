// Segment page: definition, evaluate / edit / archive, entries and exits per day, and the paged members table.
import { useEffect, useRef, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { SegmentActivityChart } from '../components/SegmentActivityChart';
import { SegmentBuilder } from '../components/SegmentBuilder';
import { EMPTY, formatDate, formatNumber } from '../format';
import { customerHref } from '../router';
import { prettyDefinition } from '../segmentRows';
import type { Segment, SegmentActivity, SegmentEvaluation, SegmentMember, SegmentMembersResponse, SegmentsResponse } from '../types';
import '../segments.css';

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
      return `Evaluated: ${formatNumber(r.entered)} entered, ${formatNumber(r.exited)} left; ${formatNumber(r.members)} members.`;
    });

  const setStatus = (status: 'active' | 'archived') =>
    act(async () => {
      await apiSend<Segment>('PATCH', apiPath(base), { status });
      return status === 'archived' ? 'Archived: the segment is no longer kept up to date.' : 'Reactivated: the next segment run recomputes it.';
    });

  async function saveEdit(name: string, definition: unknown) {
    await apiSend<Segment>('PATCH', apiPath(base), { name, definition });
    setEditing(false);
    await act(async () => {
      const r = await apiSend<SegmentEvaluation>('POST', apiPath(`${base}/evaluate`));
      return `Saved and evaluated: ${formatNumber(r.entered)} entered, ${formatNumber(r.exited)} left.`;
    });
  }

  if (error) {
    return (
      <>
        <h1>Segment</h1>
        <p className="error" role="alert">{error}</p>
        <p>
          <a href="#/segments">Back to segments</a>
        </p>
      </>
    );
  }
  if (!segment) return <p className="muted">Loading…</p>;

  return (
    <>
      <p className="crumbs">
        <a href="#/segments">Segments</a> /
      </p>
      <h1 data-testid="segment-title">{segment.name}</h1>
      <p className="muted ids">
        <span>
          <strong data-testid="segment-member-count">{formatNumber(segment.members)}</strong> {segment.members === 1 ? 'member' : 'members'}
        </span>
        <span>{segment.status === 'archived' ? <span className="tag archived">archived</span> : <span className="tag">active</span>}</span>
        <span>Evaluated {segment.evaluatedAt ? formatDate(segment.evaluatedAt) : 'on the next run'}</span>
        <span>Updated {formatDate(segment.updatedAt)}</span>
        <span>Id {segment.id}</span>
      </p>

      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={evaluate}>
          Evaluate now
        </button>
        <button type="button" className="button secondary" disabled={busy || editing} onClick={() => setEditing(true)}>
          Edit
        </button>
        {segment.status === 'active' ? (
          <button type="button" className="button secondary" disabled={busy} onClick={() => setStatus('archived')}>
            Archive
          </button>
        ) : (
          <button type="button" className="button secondary" disabled={busy} onClick={() => setStatus('active')}>
            Reactivate
          </button>
        )}
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      {actionError && <p className="error" role="alert">{actionError}</p>}

      <section className="card">
        {editing ? (
          <>
            <h2>Edit segment</h2>
            <SegmentBuilder
              segments={others.map((s) => ({ value: s.id, label: s.name }))}
              initial={{ name: segment.name, definition: segment.definition }}
              saveLabel="Save changes"
              onSave={saveEdit}
              onCancel={() => setEditing(false)}
            />
          </>
        ) : (
          <>
            <h2>Definition</h2>
            <pre className="definition" data-testid="segment-definition">{prettyDefinition(segment.definition)}</pre>
          </>
        )}
      </section>

      <section className="card">
        <h2>
          Entries and exits per day <span className="muted">(last {ACTIVITY_DAYS} days: {formatNumber(activity?.entered ?? 0)} in, {formatNumber(activity?.exited ?? 0)} out)</span>
        </h2>
        <SegmentActivityChart days={activity?.days ?? []} />
      </section>

      <section className="card">
        <h2>Members</h2>
        {!membersLoading && members.length === 0 ? (
          <p className="muted empty" data-testid="members-empty">
            No members{segment.evaluatedAt ? '' : ' yet: the segment has not been evaluated'}.
          </p>
        ) : (
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th>Customer</th>
                <th>E-mail</th>
                <th>Entered</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} data-testid="member-row">
                  <td>
                    <a href={customerHref(m.id)}>{m.userId ?? m.email ?? `Customer ${m.id}`}</a>
                  </td>
                  <td>{m.email ?? EMPTY}</td>
                  <td className="nowrap">{formatDate(m.enteredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {membersLoading && <p className="muted">Loading…</p>}
        {cursor && !membersLoading && (
          <div className="more">
            <button type="button" className="button secondary" onClick={() => void loadMembers(cursor)}>
              Load more
            </button>
          </div>
        )}
      </section>
    </>
  );
}
