// Lifecycle stages (pure, a leaf): the values of the lifecycle_stage score. The rules that pick one are in
// src/models/lifecycle.ts; the score descriptor, the segment language and the dashboard read the list from here.

export const LIFECYCLE_STAGES = ['new', 'active', 'at_risk', 'churned', 'reactivated'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
