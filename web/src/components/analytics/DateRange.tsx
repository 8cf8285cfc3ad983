// The analytics range: from and to dates, quick presets (7, 30, 90 days) and the attribution window for conversions.
import { lastDays } from '../../messages/useMetrics';

export interface Range { from: string; to: string; attributionDays: number }

export function DateRange({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const preset = (days: number) => onChange({ ...value, ...lastDays(days) });
  return (
    <div className="date-range" role="group" aria-label="Date range">
      <label className="field jf">
        From
        <input type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} />
      </label>
      <label className="field jf">
        To
        <input type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} />
      </label>
      <div className="toggle" aria-label="Presets">
        {[7, 30, 90].map((d) => {
          const r = lastDays(d);
          const on = r.from === value.from && r.to === value.to;
          return (
            <button key={d} type="button" className={on ? 'on' : undefined} aria-pressed={on} onClick={() => preset(d)}>
              {d} days
            </button>
          );
        })}
      </div>
      <label className="field jf">
        Attribution window
        <select value={value.attributionDays} onChange={(e) => onChange({ ...value, attributionDays: Number(e.target.value) })}>
          {[1, 3, 7, 14, 30].map((d) => (
            <option key={d} value={d}>{d} {d === 1 ? 'day' : 'days'}</option>
          ))}
        </select>
      </label>
    </div>
  );
}
