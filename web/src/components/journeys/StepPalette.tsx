// Palette of step types: each button adds a step of that type after the selected one.
import { STEP_TYPES } from '../../journeys/steps';
import type { StepType } from '../../journeys/types';
import { t } from '../../i18n';

export function StepPalette({ onAdd }: { onAdd: (type: StepType) => void }) {
  return (
    <div className="journey-palette" role="toolbar" aria-label={t('journey.addStep')}>
      {STEP_TYPES.map((t) => (
        <button key={t.type} type="button" className={`palette-item jnode-${t.type}`} title={t.hint} onClick={() => onAdd(t.type)}>
          Add {t.title.toLowerCase()}
        </button>
      ))}
    </div>
  );
}
