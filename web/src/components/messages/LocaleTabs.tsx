// The template's locale variants as tabs, with adding a locale (a copy of the one open) and removing the one open.
import { useState } from 'react';
import { LOCALE_PATTERN } from '../../messages/draft';
import { t } from '../../i18n';

interface Props {
  locales: string[];
  current: string;
  defaultLocale: string;
  onSelect: (locale: string) => void;
  onAdd: (locale: string) => void;
  onRemove: (locale: string) => void;
}

export function LocaleTabs({ locales, current, defaultLocale, onSelect, onAdd, onRemove }: Props) {
  const [adding, setAdding] = useState('');
  const tag = adding.trim();
  const problem = !tag
    ? null
    : !LOCALE_PATTERN.test(tag)
      ? t('locales.pattern')
      : locales.some((l) => l.toLowerCase() === tag.toLowerCase())
        ? t('locales.exists', { tag })
        : null;
  const add = () => {
    if (!tag || problem) return;
    onAdd(tag);
    setAdding('');
  };
  return (
    <div className="tpl-locales">
      <div className="toggle" role="tablist" aria-label={t('locales.label')}>
        {locales.map((l) => (
          <button
            key={l}
            type="button"
            role="tab"
            aria-selected={l === current}
            className={l === current ? 'on' : undefined}
            onClick={() => onSelect(l)}
          >
            {l}
            {l === defaultLocale && (
              <span className="muted tpl-default" aria-hidden="true">
                {' '}
                ★
              </span>
            )}
          </button>
        ))}
      </div>
      <form className="tpl-add-locale" onSubmit={(e) => (e.preventDefault(), add())}>
        <input
          type="text"
          aria-label={t('locales.new')}
          placeholder="pl, ru, pt-BR…"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
        />
        <button type="submit" className="button secondary small" disabled={!tag || !!problem}>
          {t('locales.add')}
        </button>
        {locales.length > 1 && (
          <button type="button" className="button secondary small danger" onClick={() => onRemove(current)}>
            {t('locales.remove', { locale: current })}
          </button>
        )}
      </form>
      {problem && <p className="jf-problem tpl-note">{problem}</p>}
    </div>
  );
}
