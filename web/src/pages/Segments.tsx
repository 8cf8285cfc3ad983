// Segments page: the list of segments with member counts, and the builder for a new one.
import { useEffect, useRef, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { SegmentBuilder } from '../components/SegmentBuilder';
import { formatDate, formatNumber } from '../format';
import { segmentHref } from '../router';
import type { Segment, SegmentEvaluation, SegmentsResponse } from '../types';
import '../segments.css';
import { t } from '../i18n';

export function Segments() {
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [builderKey, setBuilderKey] = useState(0);
  const live = useRef(true);

  async function load() {
    try {
      const res = await apiGet<SegmentsResponse>(apiPath('/segments'));
      if (live.current) setSegments(res.segments);
    } catch (err) {
      if (live.current) setError(err instanceof Error ? err.message : String(err));
    }
  }

  useEffect(() => {
    live.current = true;
    void load();
    return () => {
      live.current = false;
    };
  }, []);

  /** Creates the segment and computes its members at once, so the list shows them. */
  async function create(name: string, definition: unknown) {
    const created = await apiSend<Segment>('POST', apiPath('/segments'), { name, definition });
    let saved: string;
    try {
      const evaluated = await apiSend<SegmentEvaluation>(
        'POST',
        apiPath(`/segments/${encodeURIComponent(created.id)}/evaluate`),
      );
      saved = t('segments.savedWithMembers', { name: created.name, count: evaluated.members });
    } catch (err) {
      saved = t('segments.savedLater', { name: created.name, error: err instanceof Error ? err.message : String(err) });
    }
    if (!live.current) return;
    setNotice(saved);
    setBuilderKey((k) => k + 1);
    await load();
  }

  return (
    <>
      <h1>{t('nav.segments')}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="segment-notice">
          {notice}
        </p>
      )}
      <section className="card">
        {!segments && !error && <p className="muted">{t('common.loading')}</p>}
        {segments && segments.length === 0 && (
          <p className="muted empty" data-testid="segments-empty">
            {t('segments.none')}
          </p>
        )}
        {segments && segments.length > 0 && (
          <table className="table" data-testid="segments-table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th className="num">{t('segments.members')}</th>
                <th>{t('common.status')}</th>
                <th>{t('common.updated')}</th>
                <th>{t('segments.evaluated')}</th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.id} data-testid="segment-row">
                  <td>
                    <a href={segmentHref(s.id)} data-testid="segment-name">
                      {s.name}
                    </a>
                  </td>
                  <td className="num" data-testid="segment-members">
                    {formatNumber(s.members)}
                  </td>
                  <td>
                    {s.status === 'archived' ? (
                      <span className="tag archived">{t('status.archived')}</span>
                    ) : (
                      <span className="tag">{t('status.active')}</span>
                    )}
                  </td>
                  <td className="nowrap">{formatDate(s.updatedAt)}</td>
                  <td className="nowrap">
                    {s.evaluatedAt ? formatDate(s.evaluatedAt) : <span className="muted">{t('status.pending')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>{t('segments.new')}</h2>
        <SegmentBuilder
          key={builderKey}
          segments={(segments ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name }))}
          saveLabel={t('segments.save')}
          onSave={create}
        />
      </section>
    </>
  );
}
