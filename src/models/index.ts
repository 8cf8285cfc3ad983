// Models: the public surface of src/models/, what other capabilities import from it (see docs/architecture.md, Layers).
export type { BgNbdParams } from './bgnbd.ts';
export { scoreNotes } from './explain.ts';
export type { GammaGammaParams } from './gammagamma.ts';
export { modelSettingsPatch } from './settings.ts';
export { seededRandom } from './simulate.ts';
export { parseDay } from './store/derive.ts';
export { currentModels, fitHistory, type StoredFit } from './store/fits.ts';
export { rfmGrid } from './store/grid.ts';
export { fitModelsJob } from './store/job.ts';
export { type ModelRun, runModels } from './store/run.ts';
export { loadLastRun, loadLiveCalibration, loadModelSettings, updateModelSettings } from './store/settings.ts';
export { validateModels, type Validation } from './store/validation.ts';
