// Palette of step types: each button adds a step of that type after the selected one.
import { STEP_TYPES } from '../../journeys/steps';
import type { StepType } from '../../journeys/types';
import { t } from '../../i18n';

export function StepPalette({ onAdd }: { onAdd: (type: StepType) => void }) {
  return (
    <div className="journey-palette" role="toolbar" aria-label={t('journey.addStep')}>
      {STEP_TYPES.map((s) => (
        <button
          key={s.type}
          type="button"
          className={`palette-item jnode-${s.type}`}
          title={s.hint}
          onClick={() => onAdd(s.type)}
        >
          {t('palette.add', { step: s.title.toLowerCase() })}
        </button>
      ))}
    </div>
  );
}
