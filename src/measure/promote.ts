// All further traffic to a split's winner: the journey gets a new version without the split (live at once when the
// journey is active), so the change is in the journey's version history with its time.
import type { Db } from '../store/index.ts';
import { getJourney, updateJourney, type Journey } from '../journeys/index.ts';
import { withWinner, WinnerError } from './winner.ts';

export async function sendAllToWinner(
  db: Db,
  ws: string,
  journeyId: string,
  splitId: string,
  arm: string,
  now: Date,
): Promise<Journey> {
  const journey = await getJourney(db, ws, journeyId);
  if (!journey) throw new WinnerError('step', `journey: no journey "${journeyId}" in this workspace`);
  return updateJourney(db, ws, journeyId, { definition: withWinner(journey.definition, splitId, arm) }, now);
}
