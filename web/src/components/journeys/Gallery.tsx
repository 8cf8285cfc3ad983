// "Start from a recipe": the ready-made journeys of GET /journeys/gallery, each created in one click (its templates
// and segments with it, as a draft) and opened in the editor; names and descriptions in the dashboard's language.
import { useState } from 'react';
import { useApi } from '../../useApi';
import { apiPath, apiSend } from '../../api';
import { journeyHref } from '../../router';
import { t } from '../../i18n';
import { inLanguage, RECIPE_TEMPLATE_WORDS, RECIPE_WORDS } from '../../journeys/galleryWords';

interface Recipe {
  id: string;
  name: string;
  description: string;
  needs: { events: string[]; traits: string[]; scores: string[] };
  templates: { id: string; name: string }[];
}

const needsOf = (n: Recipe['needs']) =>
  [
    n.events.length ? t('gallery.needsEvents', { list: n.events.join(', ') }) : '',
    n.traits.length ? t('gallery.needsTraits', { list: n.traits.join(', ') }) : '',
    n.scores.length ? t('gallery.needsScores', { list: n.scores.join(', ') }) : '',
  ]
    .filter(Boolean)
    .join('; ');

export function Gallery() {
  const { data, error } = useApi<{ recipes: Recipe[] }>(apiPath('/journeys/gallery'));
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  async function create(r: Recipe) {
    setBusy(r.id);
    setFailed(null);
    try {
      const made = await apiSend<{ journey: string }>('POST', apiPath(`/journeys/gallery/${encodeURIComponent(r.id)}`));
      window.location.hash = journeyHref(made.journey);
    } catch (err) {
      setFailed(`${r.name}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card" aria-labelledby="gallery-title" data-testid="journey-gallery">
      <h2 id="gallery-title">{t('gallery.title')}</h2>
      <p className="muted">{t('gallery.intro')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {failed && (
        <p className="error" role="alert">
          {failed}
        </p>
      )}
      <div className="gallery">
        {data?.recipes
          .map((served) => ({
            ...inLanguage(served, RECIPE_WORDS),
            templates: served.templates.map((tp) => inLanguage(tp, RECIPE_TEMPLATE_WORDS)),
          }))
          .map((r) => (
            <article key={r.id} data-testid={`recipe-${r.id}`}>
              <h3>{r.name}</h3>
              <p>{r.description}</p>
              <p className="muted">
                {t('gallery.needs', { needs: needsOf(r.needs) || t('gallery.nothingMore') })} ·{' '}
                {t('gallery.emails', { list: r.templates.map((tp) => tp.name).join(', ') })}
              </p>
              <button
                type="button"
                className="button"
                disabled={busy !== null}
                onClick={() => void create(r)}
                aria-label={t('gallery.createNamed', { name: r.name })}
              >
                {busy === r.id ? t('gallery.creating') : t('gallery.create')}
              </button>
            </article>
          ))}
      </div>
    </section>
  );
}
