// Scores: the public surface of src/scores/, what other capabilities import from it (see docs/architecture.md, Layers).
export {
  FILTERABLE_SCORES, NUMBER_SCORES, type NumberScoreName, sameScoreValues, SCORE_NAMES, SCORE_READERS, SCORE_SORTS,
  scoreColumns, type ScoreColumns, scoreColumnsSql, type ScoreDescriptor, type ScoreName, scoreOf, SCORES,
  type ScoreSort, scoreValues, type ScoreValues, templateScores, type TemplateScores, TEXT_SCORES, type TextScoreName,
} from './descriptor.ts';
export type { LifecycleStage } from './stages.ts';
