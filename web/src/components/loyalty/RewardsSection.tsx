// The rewards catalogue: what points buy (a coupon from a pool, a discount, a gift) and at what cost, with a form to add
// a reward or change one. Saved with PUT /api/v1/loyalty/rewards/{id}.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiGet, apiPath, apiSend } from '../../api';
import { t } from '../../i18n';
import { formatNumber } from '../../format';
import {
  blankReward,
  placeServerIssues,
  rewardFields,
  rewardFrom,
  rewardId,
  type Problems,
  type RewardFields,
} from '../../loyalty/form';
import type { Reward, RewardKind } from '../../loyalty/types';
import { Field } from './Field';

function kindName(kind: RewardKind): string {
  switch (kind) {
    case 'coupon':
      return t('loyalty.kind.coupon');
    case 'discount':
      return t('loyalty.kind.discount');
    case 'gift':
      return t('loyalty.kind.gift');
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

export function RewardsSection() {
  const [rewards, setRewards] = useState<Reward[] | null>(null);
  const [fields, setFields] = useState<RewardFields | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(() => {
    apiGet<{ rewards: Reward[] }>(apiPath('/loyalty/rewards'))
      .then((r) => setRewards(r.rewards))
      .catch((err: Error) => setLoadError(err.message));
  }, []);
  useEffect(load, [load]);

  const set = <K extends keyof RewardFields>(key: K, value: RewardFields[K]) =>
    setFields((old) => (old ? { ...old, [key]: value } : old));

  async function save() {
    if (!fields) return;
    const { reward, problems: found } = rewardFrom(fields);
    setProblems(found);
    if (Object.keys(found).length) return;
    const id = fields.id ?? rewardId(reward.name);
    try {
      await apiSend<Reward>('PUT', apiPath(`/loyalty/rewards/${encodeURIComponent(id)}`), reward);
      setFields(null);
      setAnswer({ ok: true, text: t('loyalty.rewardSaved', { name: reward.name }) });
      load();
    } catch (err) {
      const placed = err instanceof ApiError ? placeServerIssues(err.body) : {};
      setProblems(placed);
      if (!Object.keys(placed).length) setAnswer({ ok: false, text: (err as Error).message });
    }
  }

  async function remove(r: Reward) {
    if (!window.confirm(t('loyalty.confirmRemoveReward', { name: r.name }))) return;
    try {
      await apiSend('DELETE', apiPath(`/loyalty/rewards/${encodeURIComponent(r.id)}`));
      load();
    } catch (err) {
      setAnswer({ ok: false, text: (err as Error).message });
    }
  }

  return (
    <section className="card" data-testid="loyalty-rewards">
      <h2>{t('loyalty.rewards')}</h2>
      {loadError && <p className="error">{loadError}</p>}
      {!rewards && !loadError && <p className="muted">{t('common.loading')}</p>}
      {rewards && rewards.length === 0 && <p className="muted">{t('loyalty.noRewards')}</p>}
      {rewards && rewards.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>{t('loyalty.reward.name')}</th>
                <th>{t('loyalty.reward.kind')}</th>
                <th>{t('loyalty.reward.cost')}</th>
                <th>{t('loyalty.reward.active')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rewards.map((r) => (
                <tr key={r.id} data-testid={`reward-${r.id}`}>
                  <td>{r.name}</td>
                  <td>{kindName(r.kind)}</td>
                  <td>{t('loyalty.points', { count: r.cost })}</td>
                  <td>{r.active ? t('loyalty.yes') : t('loyalty.no')}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => (setFields(rewardFields(r)), setProblems({}))}
                    >
                      {t('loyalty.edit')}
                    </button>{' '}
                    <button type="button" className="secondary" onClick={() => void remove(r)}>
                      {t('loyalty.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!fields && (
        <button
          type="button"
          data-testid="new-reward"
          onClick={() => (setFields(blankReward()), setProblems({}), setAnswer(null))}
        >
          {t('loyalty.newReward')}
        </button>
      )}
      {fields && (
        <form
          className="loy-row loy-reward"
          onSubmit={(e) => (e.preventDefault(), void save())}
          noValidate
          data-testid="reward-form"
        >
          <Field id="loy-reward-name" label={t('loyalty.reward.name')} problem={problems.name}>
            <input id="loy-reward-name" value={fields.name} onChange={(e) => set('name', e.target.value)} />
          </Field>
          <Field id="loy-reward-kind" label={t('loyalty.reward.kind')} problem={problems.kind}>
            <select
              id="loy-reward-kind"
              value={fields.kind}
              onChange={(e) => set('kind', e.target.value as RewardKind)}
            >
              <option value="coupon">{t('loyalty.kind.coupon')}</option>
              <option value="discount">{t('loyalty.kind.discount')}</option>
              <option value="gift">{t('loyalty.kind.gift')}</option>
            </select>
          </Field>
          <Field id="loy-reward-cost" label={t('loyalty.reward.cost')} problem={problems.cost}>
            <input
              id="loy-reward-cost"
              inputMode="numeric"
              value={fields.cost}
              onChange={(e) => set('cost', e.target.value)}
            />
          </Field>
          <Field id="loy-reward-value" label={t('loyalty.reward.value')} problem={problems.value}>
            <input
              id="loy-reward-value"
              inputMode="decimal"
              value={fields.value}
              onChange={(e) => set('value', e.target.value)}
            />
          </Field>
          {fields.kind === 'coupon' && (
            <Field id="loy-reward-pool" label={t('loyalty.reward.couponPool')} problem={problems.couponPool}>
              <input
                id="loy-reward-pool"
                value={fields.couponPool}
                onChange={(e) => set('couponPool', e.target.value)}
              />
            </Field>
          )}
          <label className="loy-check">
            <input type="checkbox" checked={fields.active} onChange={(e) => set('active', e.target.checked)} />{' '}
            {t('loyalty.reward.active')}
          </label>
          <button type="submit" data-testid="save-reward">
            {t('loyalty.saveReward')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setFields(null)}>
            {t('loyalty.cancel')}
          </button>
        </form>
      )}
      {answer && (
        <p className={answer.ok ? 'muted' : 'error'} role="status" data-testid="reward-answer">
          {answer.text}
        </p>
      )}
      {rewards && rewards.length > 0 && (
        <p className="muted">
          {t('loyalty.rewardCount', {
            count: rewards.length,
            active: formatNumber(rewards.filter((r) => r.active).length),
          })}
        </p>
      )}
    </section>
  );
}
