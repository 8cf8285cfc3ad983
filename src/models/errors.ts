// The one error type of model fitting: thrown when the data cannot support a fit, with a machine-readable code.
import { DomainError } from '../lib/index.ts';

export type ModelFitErrorCode =
  | 'too_few_customers' // fewer customers (or repeat buyers, for spend) than the configured minimum
  | 'no_repeat_buyers' // nobody bought twice: frequency and dropout cannot be told apart
  | 'did_not_converge' // the optimiser stopped without meeting its convergence test
  | 'degenerate_estimates' // an estimate ran off towards 0 or ∞: the data do not identify the model
  | 'invalid_input'; // malformed summaries (negative values, t_x > T, …)

/** 422: the request was understood but these data cannot give a model. */
export class ModelFitError extends DomainError {
  declare readonly code: ModelFitErrorCode;
  readonly model: string;
  constructor(model: string, code: ModelFitErrorCode, message: string) {
    super(code, 422, `${model}: ${message}`);
    this.model = model;
  }
}
