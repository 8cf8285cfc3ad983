// Templates Retain ships: used by the dispatcher when the workspace has not saved its own template under that id.
import { builtInConfirmationTemplate } from './confirmation.ts';
import type { Template } from './store.ts';

const BUILT_IN = new Map<string, Template>([[builtInConfirmationTemplate.id, builtInConfirmationTemplate]]);

/** The built-in template with this id (a copy, so no caller can change it), or null. */
export function builtInTemplate(id: string): Template | null {
  const t = BUILT_IN.get(id);
  return t ? structuredClone(t) : null;
}
