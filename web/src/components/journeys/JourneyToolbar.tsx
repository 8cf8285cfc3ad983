// The editor's title row and actions: status badge, versions, Save, and Activate / Pause / Archive as the status allows.
import type { Journey } from '../../journeys/types';
import { t } from '../../i18n';
import { statusName } from '../../i18n/terms';

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
  return <span className={`tag status-${status}`}>{statusName(status)}</span>;
}

export function JourneyToolbar({ journey, name, dirty, valid, busy, onSave, onAction }: Props) {
  const status = journey?.status;
  const saveFirst = dirty ? t('journey.saveFirst') : !valid ? t('journey.fixFirst') : undefined;
  return (
    <>
      <p className="crumbs">
        <a href="#/journeys">{t('nav.journeys')}</a> /
      </p>
      <h1 data-testid="journey-title">{journey ? journey.name : name || t('title.newJourney')}</h1>
      <p className="muted ids">
        {status ? (
          <span data-testid="journey-status">
            <StatusBadge status={status} />
          </span>
        ) : (
          <span>{t('journey.notSaved')}</span>
        )}
        {journey && <span>{t('common.id', { id: journey.id })}</span>}
        {journey && (
          <span data-testid="journey-version">
            {t('journey.version', { version: journey.version })}
            {journey.activeVersion !== null &&
              journey.activeVersion !== journey.version &&
              ` ${t('journey.versionActive', { version: journey.activeVersion })}`}
          </span>
        )}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={busy || !name.trim() || (!!journey && !dirty)}
          onClick={onSave}
        >
          {t('common.save')}
        </button>
        {journey && (status === 'draft' || status === 'paused') && (
          <button
            type="button"
            className="button secondary"
            disabled={busy || !!saveFirst}
            title={saveFirst}
            onClick={() => onAction('activate')}
          >
            {t('journey.activate')}
          </button>
        )}
        {status === 'active' && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => onAction('pause')}>
            {t('journey.pause')}
          </button>
        )}
        {journey && status !== 'archived' && (
          <button type="button" className="button secondary" disabled={busy} onClick={() => onAction('archive')}>
            {t('common.archive')}
          </button>
        )}
        {dirty && (
          <span className="muted unsaved">
            Unsaved changes{status === 'active' ? ': saving makes a new version, runs under way finish on theirs' : ''}.
          </span>
        )}
      </div>
    </>
  );
}
