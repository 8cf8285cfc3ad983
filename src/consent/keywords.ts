// Inbound SMS keywords (pure): which replies revoke SMS marketing and which re-grant it.
//
// The whole message, trimmed, in any case, without surrounding punctuation, must be the keyword ("Stop." counts,
// "please stop sending" does not — carriers' practice, so a conversation is never read as an opt-out).
export const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'СТОП', 'ОТПИСКА'] as const;
export const START_WORDS = ['START', 'UNSTOP', 'СТАРТ'] as const;

export function smsKeyword(text: string): 'stop' | 'start' | null {
  if (typeof text !== 'string') return null;
  const word = text
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toUpperCase();
  if ((STOP_WORDS as readonly string[]).includes(word)) return 'stop';
  if ((START_WORDS as readonly string[]).includes(word)) return 'start';
  return null;
}
