// Journeys: definitions, triggers, the durable runner and what they did.
export {
  validateJourney,
  parseJourney,
  InvalidJourney,
  JourneyDefinition,
  type DefinitionError,
  edges,
} from './definition.ts';
export {
  createJourney,
  updateJourney,
  getJourney,
  listJourneys,
  activateJourney,
  pauseJourney,
  archiveJourney,
  JourneyError,
  JourneyNotReady,
  type Journey,
  definitionKey,
  loadDefinitions,
} from './store/journeys.ts';
export { journeyReadiness } from './store/readiness.ts';
export { tickJourneys, runJourneysJob, type TickResult } from './store/tick.ts';
export { processInbox } from './store/inbox.ts';
export { runDue } from './store/runner.ts';
export { sweepTriggers } from './store/sweeps.ts';
export { journeyStats, customerRuns, listIntents } from './store/history.ts';
export { getJourneySettings, putJourneySettings, SettingsError } from './store/control.ts';
export { freeId, type Recipe, recipeById, RECIPES, renamedDefinition, templateContent } from './gallery/recipes.ts';
export { exitDetail, type ExitReason, exitsOf } from './listen.ts';
export type { RunContext } from './steps.ts';
export { heardInLog } from './store/heard.ts';
export { mergeJourneyState } from './store/merge.ts';
