// Relative lift bars with their 95 % intervals (plain SVG): one row per experiment, a bar from 0 to the lift, a
// whisker over the interval, the zero line; rows without a lift yet get no bar.
import { formatPercent } from '../../format';

export interface LiftBar {
  id: string;
  label: string;
  lift: number | null;
  low: number | null;
  high: number | null;
}

const ROW = 34;
const LEFT = 270;
const WIDTH = 720;

export function LiftBars({ bars }: { bars: LiftBar[] }) {
  const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
  const values = bars.flatMap((b) => [b.lift, b.low, b.high]).filter(finite);
  if (!bars.some((b) => finite(b.lift))) return null; // nothing measured yet: the table says why
  const min = Math.min(0, ...values);
  const max = Math.max(0, ...values);
  const span = max - min || 1;
  const x = (v: number) => LEFT + ((v - min) / span) * (WIDTH - LEFT - 70);
  const height = bars.length * ROW + 10;
  return (
    <svg className="lift-bars" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" data-testid="lift-bars">
      <line x1={x(0)} x2={x(0)} y1={0} y2={height} stroke="#9ca3af" />
      {bars.map((b, i) => {
        const y = i * ROW + 8;
        const mid = y + ROW / 2 - 4;
        const up = finite(b.lift) && b.lift >= 0;
        return (
          <g
            key={b.id}
            data-testid="lift-bar"
            data-id={b.id}
            data-lift={finite(b.lift) ? b.lift : ''}
            data-low={finite(b.low) ? b.low : ''}
            data-high={finite(b.high) ? b.high : ''}
          >
            <text x={LEFT - 8} y={mid + 4} textAnchor="end" fontSize="12" fill="#374151" data-server-words>
              {b.label.length > 36 ? `${b.label.slice(0, 35)}…` : b.label}
            </text>
            {finite(b.lift) && (
              <rect
                x={Math.min(x(0), x(b.lift))}
                y={y}
                width={Math.max(1, Math.abs(x(b.lift) - x(0)))}
                height={ROW - 16}
                fill={up ? 'rgba(47, 158, 68, 0.55)' : 'rgba(224, 49, 49, 0.5)'}
              />
            )}
            {finite(b.low) && finite(b.high) && (
              <g stroke="#111827" strokeWidth="1.5">
                <line x1={x(b.low)} x2={x(b.high)} y1={mid} y2={mid} />
                <line x1={x(b.low)} x2={x(b.low)} y1={mid - 5} y2={mid + 5} />
                <line x1={x(b.high)} x2={x(b.high)} y1={mid - 5} y2={mid + 5} />
              </g>
            )}
            {finite(b.lift) && (
              <text x={WIDTH - 4} y={mid + 4} textAnchor="end" fontSize="12" fill="#111827">
                {formatPercent(b.lift)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
