// What a journey needs from its workspace, as facts (pure): the problems of a send step's template and channels and of
// a segment it names, each with its JSON path and what to do. readiness.ts gathers them over a whole definition.
import { didYouMean, nearest } from '../suggest.ts';
import { SEND_CHANNELS } from './channels.ts';
import type { DefinitionError } from './definition.ts';

/** What the workspace has, as far as a journey's definition names it. */
export interface WorkspaceFacts {
  /** Template id → the channels of content some locale variant of it has (email, sms, push, telegram, webhook). */
  templates: ReadonlyMap<string, ReadonlySet<string>>;
  /** The channels that have a provider configured. */
  providers: ReadonlySet<string>;
  /** Segment id → its status. */
  segments: ReadonlyMap<string, 'active' | 'archived'>;
}

export function templateProblems(template: string, at: string, ws: WorkspaceFacts): DefinitionError[] {
  if (ws.templates.has(template)) return [];
  const near = didYouMean(nearest(template, ws.templates.keys()));
  return [
    {
      path: `${at}.template`,
      message: `There is no template "${template}"${near}: create it in Messages → Templates, or choose an existing one.`,
      code: 'no_template',
      values: { template },
    },
  ];
}

/** A channel a send step can use: it exists, has a provider, and the template (when it exists) has its content. */
export function channelProblems(
  template: string,
  channel: string,
  path: string,
  ws: WorkspaceFacts,
): DefinitionError[] {
  const known = SEND_CHANNELS[channel];
  if (!known) {
    const near = didYouMean(nearest(channel, Object.keys(SEND_CHANNELS)));
    return [
      {
        path,
        message: `"${channel}" is not a channel${near}: use ${Object.keys(SEND_CHANNELS).join(', ')}.`,
        code: 'not_a_channel',
        values: { channel, allowed: Object.keys(SEND_CHANNELS).join(', ') },
      },
    ];
  }
  const problems: DefinitionError[] = [];
  const content = ws.templates.get(template);
  if (!ws.providers.has(channel))
    problems.push({
      path,
      message: `No ${known.label} provider is configured: configure one with PUT /api/v1/channels/${channel} (Messages → Channels lists them), or send on another channel.`,
      code: 'no_provider',
      values: { channel: known.label },
    });
  if (content && !content.has(known.content))
    problems.push({
      path,
      message: `The template "${template}" has no ${known.label} content: add it to the template in Messages → Templates, or send on another channel.`,
      code: 'template_lacks_channel',
      values: { template, channel: known.label },
    });
  return problems;
}

export function segmentProblems(id: string, path: string, ws: WorkspaceFacts): DefinitionError[] {
  const status = ws.segments.get(id);
  if (!status)
    return [
      {
        path,
        message: `There is no segment "${id}"${didYouMean(nearest(id, ws.segments.keys()))}: create it in Segments, or choose an existing one.`,
        code: 'no_segment',
        values: { segment: id },
      },
    ];
  if (status === 'archived')
    return [
      {
        path,
        message: `The segment "${id}" is archived, so nobody enters or leaves it: reactivate it in Segments, or choose an active one.`,
        code: 'segment_archived',
        values: { segment: id },
      },
    ];
  return [];
}
