// Consent from the public key (POST /v1/consent with a web page's key, which anyone can read and use): nothing changes
// without proof from the person. An e-mail marketing sign-up (with a topic or not) asks for confirmation, whatever the
// workspace's double opt-in setting, and is granted only when the link in that e-mail is followed (confirm.ts); a
// revocation needs the token of the person's own unsubscribe or preferences link; any other consent, and any change
// of a customer's e-mail, is for the server key. The answer never says whether the person was known.
import type { Db } from '../store/index.ts';
import { readLink, type LinkCheck } from './tokens.ts';
import { askForConfirmation } from './confirmation-mail.ts';
import { customerFor, writeSignUpActs, type SignUp, type SignUpResult } from './signup.ts';
import { topicExists } from './topics.ts';
import { ConsentError } from './errors.ts';

const GRANTS_ONLY_EMAIL =
  'the public key can only sign people up for e-mail marketing (they confirm it by the link in an e-mail); record other consents from your backend with the server key';
const REVOKE_NEEDS_PROOF =
  "the public key revokes consent only with proof that the request is the person's: the token of their unsubscribe or preferences link " +
  '(the t= of the link). Or send it from your backend with the server key';

export async function publicSignUp(
  db: Db,
  ws: string,
  s: SignUp,
  opts: { now: Date; ip: string | null },
): Promise<SignUpResult> {
  if (!s.granted) return revokeByLink(db, ws, s, opts);
  if (s.channel !== 'email' || s.purpose !== 'marketing')
    throw new ConsentError('forbidden', GRANTS_ONLY_EMAIL, s.channel !== 'email' ? 'channel' : 'purpose');
  if (!s.textVersion)
    throw new ConsentError(
      'invalid',
      'the version of the consent text the person agreed to (e.g. "newsletter-2026-01")',
      'textVersion',
    );
  if (s.token)
    throw new ConsentError(
      'invalid',
      'a link token proves a revocation only; a sign-up is confirmed by the e-mail it sends',
      'token',
    );
  if (s.topic && !(await topicExists(db, ws, s.topic)))
    throw new ConsentError(
      'not_found',
      `No subscription topic "${s.topic}": create it first with POST /api/v1/topics.`,
    );
  const customer = await customerFor(db, ws, s, opts.now, opts.ip, true);
  if (!customer.email)
    throw new ConsentError(
      'invalid',
      'the address the confirmation goes to: this person has no e-mail on file',
      'email',
    );
  await db.transaction((tx) =>
    askForConfirmation(
      tx,
      ws,
      customer.id,
      { channel: 'email', purpose: 'marketing', textVersion: s.textVersion, topic: s.topic },
      opts.now,
    ),
  );
  return { status: 'pending' };
}

/** A revocation with the token of the person's unsubscribe or preferences link: for the link's customer, whoever else the body names. */
async function revokeByLink(
  db: Db,
  ws: string,
  s: SignUp,
  opts: { now: Date; ip: string | null },
): Promise<SignUpResult> {
  if (!s.token) throw new ConsentError('forbidden', REVOKE_NEEDS_PROOF, 'token');
  let link: LinkCheck<'preferences' | 'unsubscribe'> = await readLink(db, s.token, 'preferences', opts.now);
  if (!link.ok && link.reason === 'wrong_kind') link = await readLink(db, s.token, 'unsubscribe', opts.now);
  if (!link.ok || link.payload.ws !== ws)
    throw new ConsentError(
      'forbidden',
      `not a valid unsubscribe or preferences link token of this workspace (${link.ok ? 'another workspace' : link.reason})`,
      'token',
    );
  await db.transaction((tx) =>
    writeSignUpActs(tx, ws, link.payload.c, s, {
      granted: false,
      source: s.source,
      ip: opts.ip,
      textVersion: s.textVersion ?? null,
      at: opts.now,
    }),
  );
  return { status: 'revoked' };
}
