// Experiments (pure, a leaf: imports no other capability): stable draws for A/B arms, holdouts and the workspace's
// global control group. Journeys draw arms and holdouts; messaging's gate holds back the control group.
export { controlPeriod, inControlGroup, pickArm, unitHash, type ControlSettings } from './buckets.ts';
