// Step and trigger catalogue (pure): a new step of each type with sensible defaults, and one-line descriptions for nodes.
import { describeDuration } from './duration';
import type { ChannelPolicy, StepDef, StepType, TriggerDef, TriggerType } from './types';

export const STEP_TYPES: { type: StepType; title: string; hint: string }[] = [
  { type: 'delay', title: 'Delay', hint: 'wait a duration, for a time window or until a date' },
  { type: 'wait', title: 'Wait for event', hint: 'until an event happens, at most a timeout' },
  { type: 'branch', title: 'Branch', hint: 'yes / no by a segment condition' },
  { type: 'split', title: 'Split', hint: 'random arms by weight (A/B)' },
  { type: 'holdout', title: 'Holdout', hint: 'keep a control group out' },
  { type: 'send', title: 'Send', hint: 'a message from a template' },
  { type: 'update', title: 'Update', hint: 'set traits and tags' },
  { type: 'webhook', title: 'Webhook', hint: 'call a URL' },
  { type: 'exit', title: 'Exit', hint: 'end the run' },
];

export const TRIGGER_TYPES: { type: TriggerType; title: string }[] = [
  { type: 'event', title: 'Event' },
  { type: 'segment', title: 'Segment entry or exit' },
  { type: 'date', title: 'Date (birthday, renewal…)' },
  { type: 'schedule', title: 'Schedule (cron)' },
  { type: 'broadcast', title: 'Broadcast to a segment' },
];

export const stepTitle = (type: StepType) => STEP_TYPES.find((t) => t.type === type)?.title ?? type;

export function newStep(type: StepType, id: string): StepDef {
  switch (type) {
    case 'delay':
      return { id, type, duration: 'PT1H' };
    case 'wait':
      return { id, type, event: '', timeout: 'P1D' };
    case 'branch':
      return { id, type, condition: { aggregate: 'orders_count', op: 'gte', value: 1 } };
    case 'split':
      return { id, type, arms: [{ name: 'A', weight: 50 }, { name: 'B', weight: 50 }] };
    case 'holdout':
      return { id, type, percent: 10 };
    case 'send':
      return { id, type, template: '', channel: { fixed: 'email' } };
    case 'update':
      return { id, type };
    case 'webhook':
      return { id, type, url: '' };
    case 'exit':
      return { id, type };
  }
}

/** A new trigger of `type`, keeping what carries over (the segment). */
export function newTrigger(type: TriggerType, from: TriggerDef): TriggerDef {
  switch (type) {
    case 'event':
      return { type, event: '' };
    case 'segment':
      return { type, segment: from.segment ?? '', on: 'enter' };
    case 'date':
      return { type, trait: 'birthday', yearly: true, offsetDays: 0, at: '09:00' };
    case 'schedule':
      return { type, cron: '0 9 * * 1', segment: from.segment ?? '' };
    case 'broadcast':
      return { type, segment: from.segment ?? '', perMinute: 60_000 };
  }
}

export function describeChannel(channel: ChannelPolicy | undefined): string {
  if (!channel) return '';
  if ('fixed' in channel) return channel.fixed;
  if ('best' in channel) return `best of ${channel.best.join(', ')}`;
  if ('cascade' in channel) return channel.cascade.map((c) => c.channel).join(' → ');
  return '';
}

export function describeStep(step: StepDef): string {
  switch (step.type) {
    case 'delay':
      if (step.duration !== undefined) return `for ${describeDuration(step.duration) || '…'}`;
      if (step.window) return `until ${step.window.from}–${step.window.to}`;
      if (step.untilProperty) return `until ${step.untilProperty.property}`;
      return '';
    case 'wait':
      return `for ${step.event || '…'}, at most ${describeDuration(step.timeout) || '…'}`;
    case 'branch':
      return 'by a condition';
    case 'split':
      return (step.arms ?? []).map((a) => `${a.name} ${a.weight}`).join(' · ');
    case 'holdout':
      return `${step.percent ?? '…'}% held out`;
    case 'send':
      return `${step.template || '…'} by ${describeChannel(step.channel) || '…'}`;
    case 'update':
      return [step.traits && Object.keys(step.traits).length ? 'traits' : '', step.addTags?.length ? `+${step.addTags.join(', +')}` : '', step.removeTags?.length ? `−${step.removeTags.join(', −')}` : '']
        .filter(Boolean)
        .join(' · ');
    case 'webhook':
      return step.url || '…';
    case 'exit':
      return 'the run ends';
  }
}

export function describeTrigger(t: TriggerDef): string {
  switch (t.type) {
    case 'event':
      return `${t.event || '…'}${t.key ? ` (one run per ${t.key})` : ''}`;
    case 'segment':
      return `${t.on === 'exit' ? 'leaves' : 'enters'} ${t.segment || '…'}`;
    case 'date':
      return `${t.trait || '…'}${t.yearly ? ' every year' : ''}${t.offsetDays ? ` ${t.offsetDays > 0 ? '+' : ''}${t.offsetDays} d` : ''} at ${t.at || '…'}`;
    case 'schedule':
      return `${t.cron || '…'} for ${t.segment || '…'}`;
    case 'broadcast':
      return `to ${t.segment || '…'}`;
  }
}
