// The workspace's templates with their locales and channels, each linking to its editor.
import { apiPath } from '../../api';
import { formatDate } from '../../format';
import { templateHref } from '../../router';
import { useApi } from '../../useApi';
import type { TemplateSummary } from '../../messages/types';
import { t } from '../../i18n';

export function TemplatesList() {
  const { data, error } = useApi<{ templates: TemplateSummary[] }>(apiPath('/templates'));
  const templates = data?.templates;
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('templates.title')}</h2>
        <a className="button" href="#/messages/templates/new">
          {t('title.newTemplate')}
        </a>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!templates && !error && <p className="muted">{t('common.loading')}</p>}
      {templates && templates.length === 0 && (
        <p className="muted empty" data-testid="templates-empty">
          {t('templates.noneBefore')} <a href="#/messages/templates/new">{t('templates.writeFirst')}</a>
          {t('templates.noneAfter')}
        </p>
      )}
      {templates && templates.length > 0 && (
        <table className="table" data-testid="templates-table">
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th>{t('templates.id')}</th>
              <th>{t('locales.label')}</th>
              <th>{t('nav.channels')}</th>
              <th>{t('common.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id} data-testid="template-row">
                <td>
                  <a href={templateHref(t.id)}>{t.name}</a>
                </td>
                <td className="muted">{t.id}</td>
                <td>
                  {t.locales.map((l) => (
                    <span key={l} className={`tag${l === t.defaultLocale ? '' : ' archived'} tpl-tag`}>
                      {l}
                    </span>
                  ))}
                </td>
                <td>{t.channels.join(', ')}</td>
                <td className="nowrap">{formatDate(t.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
