// What a journey needs from its workspace before it can go live (pure): every send step's template exists and has
// content for each channel its policy can use, each of those channels has a provider, and every segment the trigger
// or a branch names exists and is active. Each problem has the definition's JSON path and says what to do.
import { didYouMean, nearest } from '../suggest.ts';
import { segmentRefsAt, type Condition } from '../segments/dsl.ts';
import type { DefinitionError, JourneyDefinition, Step } from './definition.ts';
import { SEND_CHANNELS } from './channels.ts';

export { SEND_CHANNELS };

/** What the workspace has, as far as a journey's definition names it. */
export interface WorkspaceFacts {
  /** Template id → the channels of content some locale variant of it has (email, sms, push, telegram, webhook). */
  templates: ReadonlyMap<string, ReadonlySet<string>>;
  /** The channels that have a provider configured. */
  providers: ReadonlySet<string>;
  /** Segment id → its status. */
  segments: ReadonlyMap<string, 'active' | 'archived'>;
}

/** Every reason `def` cannot go live in this workspace (none: it can be activated). */
export function readinessProblems(def: JourneyDefinition, ws: WorkspaceFacts): DefinitionError[] {
  const problems: DefinitionError[] = [];
  if ('segment' in def.trigger && def.trigger.segment !== undefined) problems.push(...segmentProblems(def.trigger.segment, '$.trigger.segment', ws));
  def.steps.forEach((step, i) => {
    const at = `$.steps[${i}]`;
    if (step.type === 'send') problems.push(...sendProblems(step, at, ws));
    // a branch's condition was validated with the definition; its segment conditions name segments like a trigger does
    if (step.type === 'branch') for (const ref of segmentRefsAt(step.condition as Condition, `${at}.condition`)) problems.push(...segmentProblems(ref.segment, `${ref.path}.segment`, ws));
  });
  return problems;
}

function sendProblems(step: Extract<Step, { type: 'send' }>, at: string, ws: WorkspaceFacts): DefinitionError[] {
  const problems: DefinitionError[] = [];
  const content = ws.templates.get(step.template);
  if (!content) {
    const near = didYouMean(nearest(step.template, ws.templates.keys()));
    problems.push({ path: `${at}.template`, message: `There is no template "${step.template}"${near}: create it in Messages → Templates, or choose an existing one.` });
  }
  for (const { channel, path } of policyChannels(step.channel, `${at}.channel`)) {
    const known = SEND_CHANNELS[channel];
    if (!known) {
      const near = didYouMean(nearest(channel, Object.keys(SEND_CHANNELS)));
      problems.push({ path, message: `"${channel}" is not a channel${near}: use ${Object.keys(SEND_CHANNELS).join(', ')}.` });
      continue;
    }
    if (!ws.providers.has(channel))
      problems.push({ path, message: `No ${known.label} provider is configured: configure one with PUT /api/v1/channels/${channel} (Messages → Channels lists them), or send on another channel.` });
    if (content && !content.has(known.content))
      problems.push({ path, message: `The template "${step.template}" has no ${known.label} content: add it to the template in Messages → Templates, or send on another channel.` });
  }
  return problems;
}

/** Each channel a send step's policy can use, with its JSON path. */
function policyChannels(policy: Extract<Step, { type: 'send' }>['channel'], at: string): { channel: string; path: string }[] {
  if ('fixed' in policy) return [{ channel: policy.fixed, path: `${at}.fixed` }];
  if ('best' in policy) return policy.best.map((channel, k) => ({ channel, path: `${at}.best[${k}]` }));
  return policy.cascade.map((c, k) => ({ channel: c.channel, path: `${at}.cascade[${k}].channel` }));
}

function segmentProblems(id: string, path: string, ws: WorkspaceFacts): DefinitionError[] {
  const status = ws.segments.get(id);
  if (!status) return [{ path, message: `There is no segment "${id}"${didYouMean(nearest(id, ws.segments.keys()))}: create it in Segments, or choose an existing one.` }];
  if (status === 'archived') return [{ path, message: `The segment "${id}" is archived, so nobody enters or leaves it: reactivate it in Segments, or choose an active one.` }];
  return [];
}
