// The preview's customer: typed as a user id or customer id, with the customers matching what is typed (name, e-mail,
// user id) offered as it is typed; a problem with the customer is shown under the field.
import { apiGet, apiPath } from '../../api';
import { useLive } from '../../messages/live';
import type { CustomersResponse } from '../../types';
import { t } from '../../i18n';

const LIST = 'preview-customers';

export function PreviewCustomerField({
  value,
  onChange,
  problem,
}: {
  value: string;
  onChange: (v: string) => void;
  problem: string | null;
}) {
  const found = useLive(
    `q:${value.trim()}`,
    () => apiGet<CustomersResponse>(apiPath('/customers', { q: value.trim(), limit: 10 })),
    300,
  );
  const customers = found.result?.customers ?? [];
  return (
    <label className="field jf">
      {t('preview.customer')}
      <input
        type="text"
        list={LIST}
        placeholder={t('preview.customerPlaceholder')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem ? true : undefined}
      />
      <datalist id={LIST}>
        {customers.map((c) => (
          <option key={c.id} value={c.userId ?? c.id}>
            {[c.name, c.email].filter(Boolean).join(' · ') || c.id}
          </option>
        ))}
      </datalist>
      {problem && (
        <small className="jf-problem" role="alert" data-testid="preview-customer-problem">
          {problem}
        </small>
      )}
    </label>
  );
}
