// "Start from a layout": the e-mail layouts (GET /api/v1/templates/layouts) a new template can begin with.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../../api';
import type { EmailLayout } from '../../messages/types';
import { t } from '../../i18n';
import { inLanguage, LAYOUT_WORDS } from '../../journeys/galleryWords';

export function LayoutGallery({ onPick }: { onPick: (layout: EmailLayout) => void }) {
  const [layouts, setLayouts] = useState<EmailLayout[]>([]);
  useEffect(() => {
    apiGet<{ layouts: EmailLayout[] }>(apiPath('/templates/layouts'))
      .then((r) => setLayouts(r.layouts))
      .catch(() => undefined);
  }, []);
  if (layouts.length === 0) return null;
  return (
    <section className="card" aria-labelledby="layouts-heading">
      <h2 id="layouts-heading">{t('layouts.title')}</h2>
      <div className="tpl-layouts">
        {layouts
          .map((served) => inLanguage(served, LAYOUT_WORDS))
          .map((l) => (
            <button
              key={l.id}
              type="button"
              className="tpl-layout"
              onClick={() => onPick(l)}
              aria-label={t('layouts.startFrom', { name: l.name })}
            >
              <strong>{l.name}</strong>
              <span className="muted">{l.description}</span>
            </button>
          ))}
      </div>
    </section>
  );
}
