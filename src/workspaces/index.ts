// Workspaces: the public surface of src/workspaces/, what other capabilities import from it (see docs/architecture.md, Layers).
export { insertKey, type ListedKey, listKeys, revokeKey } from './key-store.ts';
export { hashKey, KEY_KINDS, keyAllows, keyId, type KeyNeed } from './keys.ts';
export { setWorkspaceLanguage, workspaceLanguage } from './language.ts';
export { pickWorkspace } from './pick.ts';
export {
  type CreatedWorkspace,
  createWorkspace,
  findKey,
  type KeyOwner,
  listWorkspaces,
  workspaceName,
} from './workspaces.ts';
