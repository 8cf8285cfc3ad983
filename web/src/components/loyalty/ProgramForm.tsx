// The loyalty programme as a form: switched on or off, the earn rate and its rounding, the pending days and the expiry,
// what earns nothing, bonus events, campaign multipliers and the tiers as rows. Saved with PUT /api/v1/loyalty/program.
import { useEffect, useState } from 'react';
import { ApiError, apiGet, apiPath, apiSend } from '../../api';
import { t } from '../../i18n';
import { placeServerIssues, programFields, programFrom, type Problems, type ProgramFields } from '../../loyalty/form';
import type { Program } from '../../loyalty/types';
import { Field } from './Field';

type RowList = 'tiers' | 'bonuses' | 'campaigns';
/** The word a row's input ids start with (loy-bonus-0-points). */
const ROW_ID: Record<RowList, string> = { bonuses: 'bonus', campaigns: 'campaign', tiers: 'tier' };

interface Props {
  onSaved: () => void;
}

export function ProgramForm({ onSaved }: Props) {
  const [fields, setFields] = useState<ProgramFields | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    apiGet<Program>(apiPath('/loyalty/program'))
      .then((p) => live && setFields(programFields(p)))
      .catch((err: Error) => live && setLoadError(err.message));
    return () => {
      live = false;
    };
  }, []);

  if (loadError) return <p className="error">{loadError}</p>;
  if (!fields) return <p className="muted">{t('common.loading')}</p>;

  const set = <K extends keyof ProgramFields>(key: K, value: ProgramFields[K]) =>
    setFields((old) => (old ? { ...old, [key]: value } : old));
  const setRow = <K extends RowList>(key: K, i: number, change: Partial<ProgramFields[K][number]>) =>
    setFields((old) => (old ? { ...old, [key]: old[key].map((r, j) => (j === i ? { ...r, ...change } : r)) } : old));
  const dropRow = (key: RowList, i: number) =>
    setFields((old) => (old ? { ...old, [key]: (old[key] as unknown[]).filter((_, j) => j !== i) } : old));

  async function save() {
    if (!fields) return;
    const { program, problems: found } = programFrom(fields);
    setProblems(found);
    if (Object.keys(found).length) {
      setAnswer({ ok: false, text: t('loyalty.needFix') });
      return;
    }
    setBusy(true);
    try {
      const saved = await apiSend<Program>('PUT', apiPath('/loyalty/program'), program);
      setFields(programFields(saved));
      setAnswer({ ok: true, text: saved.enabled ? t('loyalty.savedOn') : t('loyalty.savedOff') });
      onSaved();
    } catch (err) {
      const placed = err instanceof ApiError ? placeServerIssues(err.body) : {};
      setProblems(placed);
      setAnswer({ ok: false, text: Object.keys(placed).length ? t('loyalty.needFix') : (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const num = (
    key: 'pointsPerUnit' | 'pendingDays' | 'expiryMonths' | 'tierWindowMonths' | 'tierPeriodMonths' | 'pointValue',
    label: string,
    hint?: string,
  ) => (
    <Field id={`loy-${key}`} label={label} problem={problems[key]} hint={hint}>
      <input
        id={`loy-${key}`}
        name={key}
        inputMode="decimal"
        value={fields[key]}
        aria-invalid={Boolean(problems[key])}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );

  /** One input of a bonus, campaign or tier row: its id and the path of its problem follow the row and the field. */
  const rowInput = <K extends RowList>(
    list: K,
    i: number,
    field: keyof ProgramFields[K][number] & string,
    label: string,
    input: { inputMode?: 'decimal' | 'numeric'; type?: 'datetime-local' } = {},
  ) => {
    const id = `loy-${ROW_ID[list]}-${i}-${field}`;
    const row = fields[list][i] as unknown as Record<string, unknown>;
    return (
      <Field id={id} label={label} problem={problems[`${list}.${i}.${field}`]}>
        <input
          id={id}
          {...input}
          value={row[field] as string}
          onChange={(e) => setRow(list, i, { [field]: e.target.value } as Partial<ProgramFields[K][number]>)}
        />
      </Field>
    );
  };

  return (
    <form
      className="card loy-form"
      data-testid="loyalty-program"
      onSubmit={(e) => (e.preventDefault(), void save())}
      noValidate
    >
      <h2>{t('loyalty.program')}</h2>
      <label className="loy-check">
        <input
          type="checkbox"
          name="enabled"
          checked={fields.enabled}
          onChange={(e) => set('enabled', e.target.checked)}
        />{' '}
        {t('loyalty.enabled')}
      </label>

      <div className="loy-grid">
        {num('pointsPerUnit', t('loyalty.pointsPerUnit'), t('loyalty.pointsPerUnit.hint'))}
        <Field id="loy-rounding" label={t('loyalty.rounding')}>
          <select
            id="loy-rounding"
            name="rounding"
            value={fields.rounding}
            onChange={(e) => set('rounding', e.target.value as ProgramFields['rounding'])}
          >
            <option value="down">{t('loyalty.rounding.down')}</option>
            <option value="nearest">{t('loyalty.rounding.nearest')}</option>
            <option value="up">{t('loyalty.rounding.up')}</option>
          </select>
        </Field>
        {num('pendingDays', t('loyalty.pendingDays'), t('loyalty.pendingDays.hint'))}
        {num('expiryMonths', t('loyalty.expiryMonths'), t('loyalty.expiryMonths.hint'))}
        {num('pointValue', t('loyalty.pointValue'), t('loyalty.pointValue.hint'))}
      </div>

      <Field id="loy-excludedProducts" label={t('loyalty.excludedProducts')} hint={t('loyalty.listHint')}>
        <textarea
          id="loy-excludedProducts"
          name="excludedProducts"
          rows={2}
          value={fields.excludedProducts}
          onChange={(e) => set('excludedProducts', e.target.value)}
        />
      </Field>
      <Field id="loy-excludedCategories" label={t('loyalty.excludedCategories')} hint={t('loyalty.listHint')}>
        <textarea
          id="loy-excludedCategories"
          name="excludedCategories"
          rows={2}
          value={fields.excludedCategories}
          onChange={(e) => set('excludedCategories', e.target.value)}
        />
      </Field>

      <h3>{t('loyalty.bonuses')}</h3>
      <p className="muted">{t('loyalty.bonuses.intro')}</p>
      {fields.bonuses.map((row, i) => (
        <fieldset className="loy-row" key={`b${i}`} data-testid={`bonus-${i}`}>
          {rowInput('bonuses', i, 'event', t('loyalty.bonus.event'))}
          {rowInput('bonuses', i, 'points', t('loyalty.bonus.points'), { inputMode: 'numeric' })}
          <label className="loy-check">
            <input
              type="checkbox"
              checked={row.once}
              onChange={(e) => setRow('bonuses', i, { once: e.target.checked })}
            />{' '}
            {t('loyalty.bonus.once')}
          </label>
          <button type="button" className="secondary" onClick={() => dropRow('bonuses', i)}>
            {t('loyalty.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        data-testid="add-bonus"
        onClick={() => set('bonuses', [...fields.bonuses, { event: '', points: '', once: false }])}
      >
        {t('loyalty.addBonus')}
      </button>

      <h3>{t('loyalty.campaigns')}</h3>
      <p className="muted">{t('loyalty.campaigns.intro')}</p>
      {fields.campaigns.map((row, i) => (
        <fieldset className="loy-row" key={`c${i}`} data-testid={`campaign-${i}`}>
          {rowInput('campaigns', i, 'name', t('loyalty.campaign.name'))}
          {rowInput('campaigns', i, 'from', t('loyalty.campaign.from'), { type: 'datetime-local' })}
          {rowInput('campaigns', i, 'to', t('loyalty.campaign.to'), { type: 'datetime-local' })}
          {rowInput('campaigns', i, 'multiplier', t('loyalty.multiplier'), { inputMode: 'decimal' })}
          <button type="button" className="secondary" onClick={() => dropRow('campaigns', i)}>
            {t('loyalty.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        data-testid="add-campaign"
        onClick={() => set('campaigns', [...fields.campaigns, { name: '', from: '', to: '', multiplier: '2' }])}
      >
        {t('loyalty.addCampaign')}
      </button>

      <h3>{t('loyalty.tiers')}</h3>
      <div className="loy-grid">
        <Field id="loy-tierBasis" label={t('loyalty.tierBasis')}>
          <select
            id="loy-tierBasis"
            name="tierBasis"
            value={fields.tierBasis}
            onChange={(e) => set('tierBasis', e.target.value as ProgramFields['tierBasis'])}
          >
            <option value="points">{t('loyalty.tierBasis.points')}</option>
            <option value="spend">{t('loyalty.tierBasis.spend')}</option>
          </select>
        </Field>
        {num('tierWindowMonths', t('loyalty.tierWindowMonths'))}
        <Field id="loy-downgrade" label={t('loyalty.downgrade')}>
          <select
            id="loy-downgrade"
            name="downgrade"
            value={fields.downgrade}
            onChange={(e) => set('downgrade', e.target.value as ProgramFields['downgrade'])}
          >
            <option value="periodEnd">{t('loyalty.downgrade.periodEnd')}</option>
            <option value="immediate">{t('loyalty.downgrade.immediate')}</option>
          </select>
        </Field>
        {num('tierPeriodMonths', t('loyalty.tierPeriodMonths'))}
      </div>
      {problems.tiers && (
        <p className="error" role="alert">
          {problems.tiers}
        </p>
      )}
      {fields.tiers.map((row, i) => (
        <fieldset className="loy-row" key={`t${i}`} data-testid={`tier-${i}`}>
          {rowInput('tiers', i, 'name', t('loyalty.tier.name'))}
          {rowInput(
            'tiers',
            i,
            'threshold',
            fields.tierBasis === 'spend' ? t('loyalty.tier.thresholdSpend') : t('loyalty.tier.thresholdPoints'),
            { inputMode: 'decimal' },
          )}
          {rowInput('tiers', i, 'multiplier', t('loyalty.multiplier'), { inputMode: 'decimal' })}
          <label className="loy-check">
            <input
              type="checkbox"
              checked={row.freeShipping}
              onChange={(e) => setRow('tiers', i, { freeShipping: e.target.checked })}
            />{' '}
            {t('loyalty.tier.freeShipping')}
          </label>
          <button type="button" className="secondary" onClick={() => dropRow('tiers', i)}>
            {t('loyalty.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        data-testid="add-tier"
        onClick={() =>
          set('tiers', [...fields.tiers, { name: '', threshold: '', multiplier: '1', freeShipping: false }])
        }
      >
        {t('loyalty.addTier')}
      </button>

      <p>
        <button type="submit" disabled={busy} data-testid="save-program">
          {t('loyalty.save')}
        </button>
      </p>
      {answer && (
        <p className={answer.ok ? 'muted' : 'error'} role="status" data-testid="program-answer">
          {answer.text}
        </p>
      )}
    </form>
  );
}
