// `retain demo [--workspace ID|NAME] [--customers N]`: fills a workspace with the generated demo shop, offline.
import type { Db } from '../store/index.ts';
import { pickWorkspace } from '../workspaces/index.ts';
import { fillDemoShop, type DemoResult, DEMO_CUSTOMERS } from '../demo/index.ts';

export const DEMO_USAGE = `usage: retain demo [--workspace ID|NAME] [--customers N (default ${DEMO_CUSTOMERS}, 50 to 5000)]`;

export interface DemoIo {
  out?: (line: string) => void;
  now?: () => Date;
}

export function parseDemoArgs(argv: string[]): { workspace?: string; customers?: number } {
  const parsed: { workspace?: string; customers?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (name !== '--workspace' && name !== '--customers'))
      throw new Error(`${value === undefined ? `${name} needs a value` : `unexpected argument ${arg}`}\n${DEMO_USAGE}`);
    if (name === '--workspace') parsed.workspace = value;
    else parsed.customers = demoSize(value);
  }
  return parsed;
}

/** The number of demo customers asked for, checked (the API and the command share the bounds). */
export function demoSize(value: string | number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 50 || n > 5000)
    throw new Error(`--customers ${value}: a whole number from 50 to 5000`);
  return n;
}

export const demoSummary = (r: DemoResult) =>
  `demo shop: ${r.shop.customers} customers, ${r.shop.products} products, ${r.shop.orders} orders, ${r.shop.refunds} returns, ` +
  `${r.shop.abandonedCarts} carts left behind, ${r.shop.consents} consent records, ${r.shop.events} events ` +
  `(stored now: ${r.stored.events} events, ${r.stored.consents} consents; already there: ${r.stored.duplicates} events)`;

export async function runDemoCommand(db: Db, argv: string[], io: DemoIo = {}): Promise<number> {
  const out = io.out ?? console.log;
  const args = parseDemoArgs(argv[0] === 'demo' ? argv.slice(1) : argv);
  const ws = await pickWorkspace(db, args.workspace, out);
  const result = await fillDemoShop(db, ws, { now: (io.now ?? (() => new Date()))(), customers: args.customers });
  out(demoSummary(result));
  return 0;
}
