// The journey as a graph (@xyflow/react): a trigger node and one node per step; dragging writes `ui` positions,
// dragging a handle onto a step sets the slot's `next`, Delete removes steps or links, clicking selects for the side form;
// a step just added is brought into view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { connect, layout, removeStep, stepEdges, triggerPosition, TRIGGER_NODE } from '../../journeys/graph';
import type { JourneyDef, JourneyStats, Position } from '../../journeys/types';
import { nodeTypes, type StepNodeType, type TriggerNodeType } from './nodes';

type Updater = (fn: (def: JourneyDef) => JourneyDef) => void;

interface Props {
  definition: JourneyDef;
  selected: string | null;
  stats: JourneyStats | null;
  /** Problems per node id (TRIGGER_NODE for the trigger and journey-wide ones). */
  problems: Map<string, number>;
  onSelect: (id: string | null) => void;
  update: Updater;
}

type FlowNode = TriggerNodeType | StepNodeType;
type Size = { width: number; height: number };

/** Centres the view on a step that was just added (one more step than before), keeping the zoom. */
function KeepNewStepInView({ nodes }: { nodes: FlowNode[] }) {
  const flow = useReactFlow();
  const before = useRef<Set<string> | null>(null);
  useEffect(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const previous = before.current;
    before.current = ids;
    if (!previous || ids.size !== previous.size + 1) return;
    const added = nodes.find((n) => !previous.has(n.id));
    if (!added) return;
    const size = added.measured ?? { width: 200, height: 80 };
    void flow.setCenter(added.position.x + (size.width ?? 200) / 2, added.position.y + (size.height ?? 80) / 2, {
      zoom: flow.getZoom(),
    });
  }, [nodes, flow]);
  return null;
}

export function JourneyCanvas({ definition, selected, stats, problems, onSelect, update }: Props) {
  // Controlled nodes must carry their measured size, or @xyflow hides them until measured again.
  const [measured, setMeasured] = useState<Map<string, Size>>(new Map());
  const [triggerAt, setTriggerAt] = useState<Position | null>(null);
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);

  const nodes = useMemo((): FlowNode[] => {
    const positions = layout(definition);
    const statsOf = new Map((stats?.steps ?? []).map((s) => [s.stepId, s]));
    const trigger: TriggerNodeType = {
      id: TRIGGER_NODE,
      type: 'trigger',
      deletable: false,
      position: triggerAt ?? triggerPosition(definition, positions),
      data: { trigger: definition.trigger, problems: problems.get(TRIGGER_NODE) ?? 0 },
      selected: selected === TRIGGER_NODE,
      measured: measured.get(TRIGGER_NODE),
    };
    const steps = definition.steps.map(
      (step): StepNodeType => ({
        id: step.id,
        type: 'step',
        position: positions.get(step.id)!,
        data: {
          step,
          stats: statsOf.get(step.id) ?? null,
          showStats: stats !== null,
          problems: problems.get(step.id) ?? 0,
        },
        selected: selected === step.id,
        measured: measured.get(step.id),
      }),
    );
    return [trigger, ...steps];
  }, [definition, selected, stats, problems, measured, triggerAt]);

  const edges = useMemo((): Edge[] => {
    const marker = { type: MarkerType.ArrowClosed, width: 18, height: 18 };
    const out: Edge[] = [];
    if (definition.steps.some((s) => s.id === definition.start)) {
      out.push({
        id: `${TRIGGER_NODE}>start`,
        source: TRIGGER_NODE,
        sourceHandle: 'start',
        target: definition.start,
        markerEnd: marker,
      });
    }
    for (const step of definition.steps) {
      for (const e of stepEdges(step)) {
        out.push({
          id: `${step.id}>${e.key}`,
          source: step.id,
          sourceHandle: e.key,
          target: e.to,
          label: e.label || undefined,
          markerEnd: marker,
        });
      }
    }
    return out.map((e) => (e.id === selectedEdge ? { ...e, selected: true } : e));
  }, [definition, selectedEdge]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const sizes = new Map<string, Size>();
      const moves = new Map<string, Position>();
      let pick = selected;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
        else if (c.type === 'position' && c.position)
          moves.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
        else if (c.type === 'select') pick = c.selected ? c.id : pick === c.id ? null : pick;
      }
      if (sizes.size) setMeasured((m) => new Map([...m, ...sizes]));
      if (pick !== selected) {
        onSelect(pick);
        if (pick) setSelectedEdge(null);
      }
      const triggerMove = moves.get(TRIGGER_NODE);
      if (triggerMove) setTriggerAt(triggerMove);
      moves.delete(TRIGGER_NODE);
      if (moves.size)
        update((def) => ({
          ...def,
          steps: def.steps.map((s) => (moves.has(s.id) ? { ...s, ui: moves.get(s.id) } : s)),
        }));
    },
    [selected, onSelect, update],
  );

  // Removals are handled once, in onDelete (nodes and their links together).
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let pick = selectedEdge;
      for (const c of changes) if (c.type === 'select') pick = c.selected ? c.id : pick === c.id ? null : pick;
      if (pick === selectedEdge) return;
      setSelectedEdge(pick);
      if (pick && selected) onSelect(null);
    },
    [selected, selectedEdge, onSelect],
  );

  const onConnect = useCallback(
    (c: Connection) =>
      update((def) => {
        if (c.source === TRIGGER_NODE) return { ...def, start: c.target };
        return {
          ...def,
          steps: def.steps.map((s) => (s.id === c.source && c.sourceHandle ? connect(s, c.sourceHandle, c.target) : s)),
        };
      }),
    [update],
  );

  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: FlowNode[]; edges: Edge[] }) => {
      update((def) => {
        let next = def;
        for (const e of cut) {
          if (e.source === TRIGGER_NODE) next = { ...next, start: '' };
          else
            next = {
              ...next,
              steps: next.steps.map((s) =>
                s.id === e.source && e.sourceHandle ? connect(s, e.sourceHandle, undefined) : s,
              ),
            };
        }
        for (const n of gone) if (n.id !== TRIGGER_NODE) next = removeStep(next, n.id);
        return next;
      });
      if (gone.some((n) => n.id === selected)) onSelect(null);
    },
    [update, selected, onSelect],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c) => c.target !== TRIGGER_NODE && c.source !== c.target,
    [],
  );

  return (
    <div className="journey-canvas" data-testid="journey-canvas">
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onPaneClick={() => {
          onSelect(null);
          setSelectedEdge(null);
        }}
        deleteKeyCode={['Backspace', 'Delete']}
        isValidConnection={isValidConnection}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        minZoom={0.2}
      >
        <KeepNewStepInView nodes={nodes} />
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
