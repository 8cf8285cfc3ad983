// Request logs without secrets (pure text rewriting): the tokens that authenticate by themselves, hook tokens
// (?hook=… on provider callbacks) and signed link tokens (?t=… on the /c/ pages, /t/o/… and /t/c/… in e-mails), are
// replaced by [redacted] in every log line, whichever message or field carries the URL.

const REDACTED = '[redacted]';
/** ?t=… and ?hook=… (and &…), up to the next parameter, fragment, quote, backslash or space. */
const TOKEN_PARAM = /([?&](?:t|hook)=)[^&#"\\\s]+/g;
/** The token path of the open pixel and of tracked links. */
const TOKEN_PATH = /(\/t\/[oc]\/)[^?#"\\\s]+/g;

/** The text with every hook and link token replaced by [redacted]. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PARAM, `$1${REDACTED}`).replace(TOKEN_PATH, `$1${REDACTED}`);
}

export interface LogDestination {
  write(line: string): unknown;
}

/** A log destination that writes each line to `dest` with its tokens redacted. */
export function redactingDestination(dest: LogDestination): LogDestination {
  return { write: (line: string) => dest.write(redactTokens(line)) };
}
