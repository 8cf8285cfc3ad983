// A labelled monospace text area for Liquid (an MJML body, an SMS text), with an optional note under it.
import { useId, type ReactNode } from 'react';

export function LiquidArea({
  label,
  value,
  onChange,
  rows = 4,
  note,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  note?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field jf">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="json-editor"
        rows={rows}
        spellCheck={false}
        value={value}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {note && (
        <small id={`${id}-note`} className="muted">
          {note}
        </small>
      )}
    </div>
  );
}
