// The experiments journeys run (pure): each marketing journey against the control group, each holdout step, each
// split, and all marketing together — with ids that name them, and the exposure source each id reads.
import type { ExposureSource } from './store/exposures.ts';

export type JourneyExperimentKind = 'control_group' | 'journey' | 'holdout' | 'split';

export interface JourneyExperiment {
  id: string;
  kind: JourneyExperimentKind;
  name: string;
  journeyId?: string;
  /** The journey's own name (the dashboard words the experiment's name from it). */
  journeyName?: string;
  stepId?: string;
  /** The arm the others are compared with. */
  controlArm: string;
  source: ExposureSource;
}

/** What the catalogue needs of a journey's latest definition. */
export interface JourneyForExperiments {
  id: string;
  name: string;
  purpose: 'marketing' | 'transactional';
  steps: { id: string; type: string; arms?: { name: string }[] }[];
}

export const CONTROL_GROUP_EXPERIMENT: JourneyExperiment = {
  id: 'control-group',
  kind: 'control_group',
  name: 'All marketing against the global control group',
  controlArm: 'control',
  source: { kind: 'control_group' },
};

/** The experiments of the workspace's journeys: the control group first, then per journey its own, its holdouts, its splits. */
export function journeyExperiments(journeys: JourneyForExperiments[]): JourneyExperiment[] {
  const out: JourneyExperiment[] = [CONTROL_GROUP_EXPERIMENT];
  for (const j of journeys) {
    if (j.purpose === 'marketing') {
      out.push({
        id: `journey:${j.id}`,
        kind: 'journey',
        name: `${j.name}: against the control group`,
        journeyId: j.id,
        journeyName: j.name,
        controlArm: 'control',
        source: { kind: 'journey', journeyId: j.id },
      });
    }
    for (const step of j.steps) {
      if (step.type === 'holdout') {
        out.push({
          id: `journey:${j.id}:holdout:${step.id}`,
          kind: 'holdout',
          name: `${j.name}: holdout ${step.id}`,
          journeyId: j.id,
          journeyName: j.name,
          stepId: step.id,
          controlArm: 'control',
          source: { kind: 'holdout', journeyId: j.id, stepId: step.id },
        });
      } else if (step.type === 'split' && step.arms?.length) {
        out.push({
          id: `journey:${j.id}:split:${step.id}`,
          kind: 'split',
          name: `${j.name}: A/B split ${step.id}`,
          journeyId: j.id,
          journeyName: j.name,
          stepId: step.id,
          controlArm: step.arms[0]!.name,
          source: { kind: 'split', journeyId: j.id, stepId: step.id },
        });
      }
    }
  }
  return out;
}
