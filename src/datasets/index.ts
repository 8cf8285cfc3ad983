// Datasets: the public surface of src/datasets/, what other capabilities import from it (see docs/architecture.md, Layers).
export { type DatasetName, DATASETS, isDatasetName } from './catalogue.ts';
export { fetchDataset } from './fetch.ts';
export { type DataPlaces, findDataset, requireDataset } from './locate.ts';
