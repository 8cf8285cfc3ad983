// The props every step's type-specific fields receive: the step, a patcher and the ids a slot may point at.
import type { StepDef } from '../../journeys/types';

export interface StepFieldProps {
  step: StepDef;
  change: (patch: Partial<StepDef>) => void;
  /** The other steps' ids, for the next-step pickers. */
  stepIds: string[];
  /** A send step's validity when it sets none (by the journey's purpose and trigger). */
  validForDefault?: string;
}
