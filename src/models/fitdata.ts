// What every purchase-count model checks before fitting: the input as grouped (x, t_x, T) triples, enough customers,
// some repeat purchases and some observed time. Errors are ModelFitErrors naming the model.
import { groupSummaries, type GroupedSummaries, type RecencyFrequency } from './summary.ts';
import { ModelFitError } from './errors.ts';

/** The input as grouped summaries (grouping per-customer rows when needed). */
export function asGroups(model: string, data: GroupedSummaries | ArrayLike<RecencyFrequency>): GroupedSummaries {
  if ('count' in data && 'size' in data) return data as GroupedSummaries;
  try {
    return groupSummaries(data as ArrayLike<RecencyFrequency>);
  } catch (e) {
    throw new ModelFitError(model, 'invalid_input', (e as Error).message);
  }
}

/** Total repeat purchases and observed time of the customers; throws when the data cannot support a fit. */
export function checkFitData(
  model: string,
  g: GroupedSummaries,
  minCustomers: number,
): { purchases: number; exposure: number } {
  if (g.customers < minCustomers) {
    throw new ModelFitError(model, 'too_few_customers', `${g.customers} customers, at least ${minCustomers} needed`);
  }
  let purchases = 0;
  let exposure = 0;
  for (let i = 0; i < g.size; i++) {
    purchases += g.count[i] * g.x[i];
    exposure += g.count[i] * g.T[i];
  }
  if (purchases === 0) {
    throw new ModelFitError(model, 'no_repeat_buyers', `none of the ${g.customers} customers made a repeat purchase`);
  }
  if (!(exposure > 0)) throw new ModelFitError(model, 'invalid_input', 'all customers have T = 0');
  return { purchases, exposure };
}

/**
 * Σ over the distinct triples of count · (head(x) + f(x, t_x, T)): a per-customer log-likelihood summed over everyone,
 * with the part that depends on x alone (the gamma functions) computed once per distinct x.
 */
export function sumOverGroups(
  g: GroupedSummaries,
  head: (x: number) => number,
  f: (x: number, tx: number, T: number) => number,
): number {
  const heads = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < g.size; i++) {
    const x = g.x[i];
    let h = heads.get(x);
    if (h === undefined) {
      h = head(x);
      heads.set(x, h);
    }
    sum += g.count[i] * (h + f(x, g.tx[i], g.T[i]));
  }
  return sum;
}
