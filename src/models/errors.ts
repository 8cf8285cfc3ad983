// The one error type of model fitting: thrown when the data cannot support a fit, with a machine-readable code.

export type ModelFitErrorCode =
  | 'too_few_customers' // fewer customers (or repeat buyers, for spend) than the configured minimum
  | 'no_repeat_buyers' // nobody bought twice: frequency and dropout cannot be told apart
  | 'did_not_converge' // the optimiser stopped without meeting its convergence test
  | 'degenerate_estimates' // an estimate ran off towards 0 or ∞: the data do not identify the model
  | 'invalid_input'; // malformed summaries (negative values, t_x > T, …)

export class ModelFitError extends Error {
  readonly code: ModelFitErrorCode;
  readonly model: string;
  constructor(model: string, code: ModelFitErrorCode, message: string) {
    super(`${model}: ${message}`);
    this.name = 'ModelFitError';
    this.code = code;
    this.model = model;
  }
}
