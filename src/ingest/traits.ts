// Trait merging (pure): later wins, judged per trait by the time of the event that set it.

export interface TraitState {
  traits: Record<string, unknown>;
  trait_times: Record<string, string>;
}

/** Applies a patch observed at time `at` (ISO): each key changes only if the patch is not older than what we hold. */
export function applyTraitPatch(state: TraitState, patch: Record<string, unknown>, at: string): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    // own keys only: a trait named "constructor" or "toString" is a trait, not Object.prototype's function
    const held = Object.hasOwn(state.trait_times, key) ? state.trait_times[key] : undefined;
    if (held !== undefined && held > at) continue;
    if (held === at && Object.hasOwn(state.traits, key) && JSON.stringify(state.traits[key]) === JSON.stringify(value))
      continue;
    state.traits[key] = value;
    state.trait_times[key] = at;
    changed = true;
  }
  return changed;
}

/** Merges two profiles' traits, each key taken from whichever profile set it later. */
export function mergeTraits(a: TraitState, b: TraitState): TraitState {
  const out: TraitState = { traits: { ...a.traits }, trait_times: { ...a.trait_times } };
  for (const [key, at] of Object.entries(b.trait_times)) applyTraitPatch(out, { [key]: b.traits[key] }, at);
  for (const key of Object.keys(b.traits)) if (!Object.hasOwn(out.traits, key)) out.traits[key] = b.traits[key];
  return out;
}
