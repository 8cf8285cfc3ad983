// The analytics range: from and to dates, quick presets (7, 30, 90 days) and the attribution window for conversions.
import { lastDays } from '../../messages/useMetrics';
import { t } from '../../i18n';

export interface Range {
  from: string;
  to: string;
  attributionDays: number;
}

export function DateRange({ value, onChange }: { value: Range; onChange: (r: Range) => void }) {
  const preset = (days: number) => onChange({ ...value, ...lastDays(days) });
  return (
    <div className="date-range" role="group" aria-label={t('range.label')}>
      <label className="field jf">
        {t('range.from')}
        <input
          type="date"
          value={value.from}
          max={value.to}
          onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })}
        />
      </label>
      <label className="field jf">
        {t('range.to')}
        <input
          type="date"
          value={value.to}
          min={value.from}
          onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })}
        />
      </label>
      <div className="toggle" aria-label={t('range.presets')}>
        {[7, 30, 90].map((d) => {
          const r = lastDays(d);
          const on = r.from === value.from && r.to === value.to;
          return (
            <button key={d} type="button" className={on ? 'on' : undefined} aria-pressed={on} onClick={() => preset(d)}>
              {t('duration.nDays', { n: d })}
            </button>
          );
        })}
      </div>
      <label className="field jf">
        {t('range.attribution')}
        <select
          value={value.attributionDays}
          onChange={(e) => onChange({ ...value, attributionDays: Number(e.target.value) })}
        >
          {[1, 3, 7, 14, 30].map((d) => (
            <option key={d} value={d}>
              {t('duration.nDays', { n: d })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
