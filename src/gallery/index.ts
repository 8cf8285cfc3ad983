// Gallery: the public surface of src/gallery/, what other capabilities import from it (see docs/architecture.md, Layers).
export { installRecipe } from './install.ts';
