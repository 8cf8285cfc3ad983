// Step and trigger catalogue (pure): a new step of each type with sensible defaults, and one-line descriptions for nodes.
import { t } from '../i18n';
import { describeDuration } from './duration';
import type { ChannelPolicy, StepDef, StepType, TriggerDef, TriggerType } from './types';

export const STEP_TYPES: { type: StepType; title: string; hint: string }[] = [
  {
    type: 'delay',
    get title() {
      return t('step.delay.title');
    },
    get hint() {
      return t('step.delay.hint');
    },
  },
  {
    type: 'wait',
    get title() {
      return t('step.wait.title');
    },
    get hint() {
      return t('step.wait.hint');
    },
  },
  {
    type: 'branch',
    get title() {
      return t('step.branch.title');
    },
    get hint() {
      return t('step.branch.hint');
    },
  },
  {
    type: 'split',
    get title() {
      return t('step.split.title');
    },
    get hint() {
      return t('step.split.hint');
    },
  },
  {
    type: 'holdout',
    get title() {
      return t('step.holdout.title');
    },
    get hint() {
      return t('step.holdout.hint');
    },
  },
  {
    type: 'send',
    get title() {
      return t('step.send.title');
    },
    get hint() {
      return t('step.send.hint');
    },
  },
  {
    type: 'update',
    get title() {
      return t('step.update.title');
    },
    get hint() {
      return t('step.update.hint');
    },
  },
  {
    type: 'webhook',
    get title() {
      return t('step.webhook.title');
    },
    get hint() {
      return t('step.webhook.hint');
    },
  },
  {
    type: 'exit',
    get title() {
      return t('step.exit.title');
    },
    get hint() {
      return t('step.exit.hint');
    },
  },
];

export const TRIGGER_TYPES: { type: TriggerType; title: string }[] = [
  {
    type: 'event',
    get title() {
      return t('trigger.event');
    },
  },
  {
    type: 'segment',
    get title() {
      return t('trigger.segment');
    },
  },
  {
    type: 'date',
    get title() {
      return t('trigger.date');
    },
  },
  {
    type: 'schedule',
    get title() {
      return t('trigger.schedule');
    },
  },
  {
    type: 'broadcast',
    get title() {
      return t('trigger.broadcast');
    },
  },
  {
    type: 'pointsExpiring',
    get title() {
      return t('trigger.pointsExpiring');
    },
  },
];

export const triggerTitle = (type: string) => TRIGGER_TYPES.find((tt) => tt.type === type)?.title ?? type;

export const stepTitle = (type: StepType) => STEP_TYPES.find((s) => s.type === type)?.title ?? type;

export function newStep(type: StepType, id: string): StepDef {
  switch (type) {
    case 'delay':
      return { id, type, duration: 'PT1H' };
    case 'wait':
      return { id, type, event: '', timeout: 'P1D' };
    case 'branch':
      return { id, type, condition: { aggregate: 'orders_count', op: 'gte', value: 1 } };
    case 'split':
      return {
        id,
        type,
        arms: [
          { name: 'A', weight: 50 },
          { name: 'B', weight: 50 },
        ],
      };
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
    case 'pointsExpiring':
      return { type, days: 7 };
  }
}

export function describeChannel(channel: ChannelPolicy | undefined): string {
  if (!channel) return '';
  if ('fixed' in channel) return channel.fixed;
  if ('best' in channel) return t('step.bestOf', { channels: channel.best.join(', ') });
  if ('cascade' in channel) return channel.cascade.map((c) => c.channel).join(' → ');
  return '';
}

export function describeStep(step: StepDef): string {
  switch (step.type) {
    case 'delay':
      if (step.duration !== undefined) return t('step.delayFor', { duration: describeDuration(step.duration) || '…' });
      if (step.window) return t('step.until', { when: `${step.window.from}–${step.window.to}` });
      if (step.untilProperty) return t('step.until', { when: step.untilProperty.property });
      if (step.productInterval) return t('step.delayFor', { duration: t('step.usualInterval') });
      return '';
    case 'wait':
      return t('step.waitFor', { event: step.event || '…', timeout: describeDuration(step.timeout) || '…' });
    case 'branch':
      return t('step.byCondition');
    case 'split':
      return (step.arms ?? []).map((a) => `${a.name} ${a.weight}`).join(' · ');
    case 'holdout':
      return t('step.heldOut', { percent: step.percent ?? '…' });
    case 'send':
      return t('step.sendBy', { template: step.template || '…', channel: describeChannel(step.channel) || '…' });
    case 'update':
      return [
        step.traits && Object.keys(step.traits).length ? t('step.traits') : '',
        step.addTags?.length ? `+${step.addTags.join(', +')}` : '',
        step.removeTags?.length ? `−${step.removeTags.join(', −')}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    case 'webhook':
      return step.url || '…';
    case 'exit':
      return t('step.runEnds');
  }
}

export function describeTrigger(tr: TriggerDef): string {
  switch (tr.type) {
    case 'event':
      return `${tr.event || '…'}${tr.key ? ` ${t('trigger.onePer', { key: tr.key })}` : ''}`;
    case 'segment':
      return tr.on === 'exit'
        ? t('trigger.leaves', { segment: tr.segment || '…' })
        : t('trigger.enters', { segment: tr.segment || '…' });
    case 'date':
      return `${tr.trait || '…'}${tr.yearly ? ` ${t('trigger.everyYear')}` : ''}${tr.offsetDays ? ` ${tr.offsetDays > 0 ? '+' : ''}${t('trigger.days', { n: tr.offsetDays })}` : ''} ${t('trigger.at', { at: tr.at || '…' })}`;
    case 'schedule':
      return t('trigger.scheduleFor', { cron: tr.cron || '…', segment: tr.segment || '…' });
    case 'broadcast':
      return t('trigger.to', { segment: tr.segment || '…' });
    case 'pointsExpiring':
      return t('trigger.pointsExpiringIn', { n: tr.days ?? 0 });
  }
}
