// Command-line words (pure): `--name value` or `--name=value` options in order, and the positional arguments between them.

export interface CommandLine {
  positional: string[];
  /** [name, value] in the order given (an option may repeat). */
  options: [string, string][];
}

/** Splits a command's arguments; an option without a value is refused through `fail` with its name. */
export function readCommandLine(args: string[], fail: (message: string) => never): CommandLine {
  const positional: string[] = [];
  const options: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) fail(`--${name} needs a value`);
    options.push([name, value!]);
  }
  return { positional, options };
}
