// One field of a provider form, drawn from its description: label, input of its kind, and under it the problem the API
// named for it, else its help. A saved secret is never shown: its box says it is set and may be left empty.
import { useId } from 'react';
import type { FormField } from '../../channels/types';
import { t } from '../../i18n';

interface Props {
  field: FormField;
  value: string | boolean;
  /** The secret has a saved value. */
  secretSaved: boolean;
  problem?: string;
  onChange: (value: string | boolean) => void;
}

export function FormFieldInput({ field, value, secretSaved, problem, onChange }: Props) {
  const id = useId();
  const noteId = `${id}-note`;
  const name = `field-${field.path}`;
  const text = typeof value === 'string' ? value : '';
  const common = { id, name, 'aria-describedby': noteId, 'aria-invalid': problem ? true : undefined } as const;
  const placeholder = field.kind === 'secret' && secretSaved ? t('providerForm.secretKeep') : field.placeholder;
  const help =
    field.kind === 'secret' && secretSaved
      ? `${field.help ? `${field.help} ` : ''}${t('setup.secretSaved')}`
      : field.help;
  let input;
  switch (field.kind) {
    case 'boolean':
      return (
        <div className="field ch-field ch-check">
          <label htmlFor={id}>
            <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />{' '}
            {field.label}
          </label>
          <Note id={noteId} problem={problem && sentence(field.label, problem)} help={field.help} />
        </div>
      );
    case 'select':
      input = (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          {!field.options?.some((o) => o.value === '') && <option value="">{t('setup.default')}</option>}
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'json':
      input = (
        <textarea
          {...common}
          rows={5}
          spellCheck={false}
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'secret':
      input = field.multiline ? (
        <textarea
          {...common}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={text}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type="password"
          autoComplete="new-password"
          value={text}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'number':
      input = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'text':
      input = (
        <input
          {...common}
          type="text"
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
  }
  return (
    <div className="field ch-field">
      <label htmlFor={id}>
        {field.label}
        {field.required && (
          <span className="ch-required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {input}
      <Note id={noteId} problem={problem && sentence(field.label, problem)} help={help} />
    </div>
  );
}

/** "Port must be at most 65535: …" from the label and the API's reason. */
function sentence(label: string, reason: string): string {
  return /^(is|must|does|has) /.test(reason) ? `${label} ${reason}` : `${label}: ${reason}`;
}

function Note({ id, problem, help }: { id: string; problem?: string; help?: string }) {
  if (problem) {
    return (
      <small id={id} className="ch-problem" data-testid="field-problem">
        {problem}
      </small>
    );
  }
  return help ? (
    <small id={id} className="muted">
      {help}
    </small>
  ) : null;
}
