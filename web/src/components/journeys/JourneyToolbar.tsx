// The editor's title row and actions: status badge, versions, Save, and Activate / Pause / Archive as the status allows.
import type { Journey } from '../../journeys/types';

interface Props {
  journey: Journey | null;
  name: string;
  dirty: boolean;
  valid: boolean;
  busy: boolean;
  onSave: () => void;
  onAction: (action: 'activate' | 'pause' | 'archive') => void;
}

export function StatusBadge({ status }: { status: Journey['status'] }) {
  return <span className={`tag status-${status}`}>{status}</span>;
}

export function JourneyToolbar({ journey, name, dirty, valid, busy, onSave, onAction }: Props) {
  const status = journey?.status;
  const saveFirst = dirty ? 'Save the changes first' : !valid ? 'Fix the problems first' : undefined;
  return (
    <>
      <p className="crumbs">
        <a href="#/journeys">Journeys</a> /
      </p>
      <h1 data-testid="journey-title">{journey ? journey.name : name || 'New journey'}</h1>
      <p className="muted ids">
        {status ? <span data-testid="journey-status"><StatusBadge status={status} /></span> : <span>not saved yet</span>}
        {journey && <span>Id {journey.id}</span>}
        {journey && (
          <span data-testid="journey-version">
            version {journey.version}
            {journey.activeVersion !== null && journey.activeVersion !== journey.version && ` (version ${journey.activeVersion} active)`}
          </span>
        )}
      </p>
      <div className="actions">
        <button type="button" className="button" disabled={busy || !name.trim() || (!!journey && !dirty)} onClick={onSave}>
          Save
        </button>
        {journey && (status === 'draft' || status === 'paused') && (
          <button type="button" className="button secondary" disabled={busy || !!saveFirst} title={saveFirst} onClick={() => onAction('activate')}>
            Activate
          </button>
        )}
        {status === 'active' && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => onAction('pause')}>
            Pause
          </button>
        )}
        {journey && status !== 'archived' && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => onAction('archive')}>
            Archive
          </button>
        )}
        {dirty && <span className="muted unsaved">Unsaved changes{status === 'active' ? ': saving makes a new version, runs under way finish on theirs' : ''}.</span>}
      </div>
    </>
  );
}
