// Demo: the public surface of src/demo/, what other capabilities import from it (see docs/architecture.md, Layers).
export { type DemoResult, fillDemoShop } from './fill.ts';
export { DEMO_CUSTOMERS } from './generate.ts';
