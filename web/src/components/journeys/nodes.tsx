// Canvas node renderers: the trigger, and a step with its type, summary, live counts and one handle per outgoing slot.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { slots } from '../../journeys/graph';
import { triggerTitle, describeStep, describeTrigger, stepTitle } from '../../journeys/steps';
import type { StepDef, StepStats, TriggerDef } from '../../journeys/types';
import { t } from '../../i18n';

export type TriggerNodeType = Node<{ trigger: TriggerDef; problems: number }, 'trigger'>;
export type StepNodeType = Node<
  { step: StepDef; stats: StepStats | null; showStats: boolean; problems: number },
  'step'
>;

const problemText = (n: number) => t('journey.problems', { count: n });

export function TriggerNode({ data, selected }: NodeProps<TriggerNodeType>) {
  return (
    <div
      className={`jnode jnode-trigger${selected ? ' selected' : ''}${data.problems ? ' has-problem' : ''}`}
      data-testid="trigger-node"
    >
      <div className="jnode-type">
        {t('journey.trigger')} · {triggerTitle(data.trigger.type)}
      </div>
      <div className="jnode-desc">{describeTrigger(data.trigger)}</div>
      {data.problems > 0 && <div className="jnode-problem">{problemText(data.problems)}</div>}
      <Handle type="source" position={Position.Bottom} id="start" />
    </div>
  );
}

export function StepNode({ data, selected }: NodeProps<StepNodeType>) {
  const { step, stats } = data;
  const outs = slots(step);
  return (
    <div
      className={`jnode jnode-${step.type}${selected ? ' selected' : ''}${data.problems ? ' has-problem' : ''}`}
      data-testid={`step-node-${step.id}`}
    >
      <Handle type="target" position={Position.Top} />
      <div className="jnode-type">{stepTitle(step.type)}</div>
      <div className="jnode-title">{step.label || step.id}</div>
      <div className="jnode-desc">{describeStep(step)}</div>
      {data.showStats && (
        <div className="jnode-stats" data-testid={`step-stats-${step.id}`}>
          {t('journey.nodeStats', { waiting: stats?.waiting ?? 0, passed: stats?.passed ?? 0 })}
        </div>
      )}
      {data.problems > 0 && <div className="jnode-problem">{problemText(data.problems)}</div>}
      {outs.length > 1 && (
        <div className="jnode-slots" aria-hidden="true">
          {outs.map((s) => (
            <span key={s.key}>{s.label}</span>
          ))}
        </div>
      )}
      {outs.map((s, i) => (
        <Handle
          key={s.key}
          id={s.key}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) * 100) / (outs.length + 1)}%` }}
          title={s.label || t('graph.next')}
        />
      ))}
    </div>
  );
}

export const nodeTypes = { trigger: TriggerNode, step: StepNode };
