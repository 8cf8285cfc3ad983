// Segments: the public API of the capability (definition language, compiler, store, incremental runner).
export {
  validateDefinition,
  parseDefinition,
  segmentRefs,
  InvalidDefinition,
  Definition,
  type Condition,
  type DefinitionError,
  type Validation,
  scoresRead,
  segmentRefsAt,
} from './dsl.ts';
export { compile, crossing, type Compiled, type CrossingQuery } from './compile.ts';
export { SegmentCycle } from './graph.ts';
export {
  createSegment,
  updateSegment,
  getSegment,
  listSegments,
  getMembers,
  previewDefinition,
  SegmentError,
  type Segment,
  type SegmentInput,
  type SegmentPatch,
  activeDefinitions,
  customerSegments,
} from './store.ts';
export { evaluateSegment, runIncremental, type RunResult, type SegmentRunStats } from './runner.ts';
export { memberCount, segmentActivity, type SegmentDay } from './member-reads.ts';
export { evaluateSegments } from './job.ts';
