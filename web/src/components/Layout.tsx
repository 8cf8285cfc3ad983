// Page frame: sidebar with the workspace name, navigation and sign-out; on a phone the navigation folds behind a menu
// button. Each page gets its own document title. The language switcher sits under the navigation; a change of language
// re-mounts the page (its words and formats are read when it renders).
import { useEffect, useState, type ReactNode } from 'react';
import { t, useLanguage } from '../i18n';
import type { Route } from '../router';
import { LanguageSwitcher } from './LanguageSwitcher';

interface Props {
  route: Route;
  workspaceName: string | null;
  onSignOut: () => void;
  children: ReactNode;
}

type Section =
  | 'overview'
  | 'customers'
  | 'segments'
  | 'journeys'
  | 'messages'
  | 'analytics'
  | 'results'
  | 'loyalty'
  | 'rfm'
  | 'models'
  | 'channels'
  | 'coupons';

/** The navigation, in order: one entry per section. */
const SECTIONS: { section: Section; href: string; label: () => string }[] = [
  { section: 'overview', href: '#/overview', label: () => t('nav.overview') },
  { section: 'customers', href: '#/customers', label: () => t('nav.customers') },
  { section: 'segments', href: '#/segments', label: () => t('nav.segments') },
  { section: 'journeys', href: '#/journeys', label: () => t('nav.journeys') },
  { section: 'messages', href: '#/messages', label: () => t('nav.messages') },
  { section: 'analytics', href: '#/analytics', label: () => t('nav.analytics') },
  { section: 'results', href: '#/results', label: () => t('nav.results') },
  { section: 'loyalty', href: '#/loyalty', label: () => t('nav.loyalty') },
  { section: 'rfm', href: '#/rfm', label: () => t('nav.rfm') },
  { section: 'models', href: '#/models', label: () => t('nav.models') },
  { section: 'channels', href: '#/channels', label: () => t('nav.channels') },
  { section: 'coupons', href: '#/coupons', label: () => t('nav.coupons') },
];

/** The section a route belongs to, and the page's own title. */
function place(route: Route): { section: Section; title: string } {
  switch (route.page) {
    case 'overview':
      return { section: 'overview', title: t('nav.overview') };
    case 'customers':
      return {
        section: 'customers',
        title: route.rfm ? t('title.customersInRfm', { r: route.rfm.r, f: route.rfm.f }) : t('nav.customers'),
      };
    case 'customer':
      return { section: 'customers', title: t('title.customer') };
    case 'segments':
      return { section: 'segments', title: t('nav.segments') };
    case 'segment':
      return { section: 'segments', title: t('title.segment') };
    case 'journeys':
      return { section: 'journeys', title: t('nav.journeys') };
    case 'journey':
      return { section: 'journeys', title: route.id ? t('title.journey') : t('title.newJourney') };
    case 'messages':
      return { section: 'messages', title: t('nav.messages') };
    case 'template':
      return { section: 'messages', title: route.id ? t('title.template') : t('title.newTemplate') };
    case 'analytics':
      return { section: 'analytics', title: t('nav.analytics') };
    case 'results':
      return { section: 'results', title: t('nav.results') };
    case 'loyalty':
      return { section: 'loyalty', title: t('nav.loyalty') };
    case 'rfm':
      return { section: 'rfm', title: t('nav.rfm') };
    case 'models':
      return { section: 'models', title: t('nav.models') };
    case 'channels':
      return { section: 'channels', title: t('nav.channels') };
    case 'channel':
      return { section: 'channels', title: t('title.channel', { channel: route.channel }) };
    case 'coupons':
      return { section: 'coupons', title: t('nav.coupons') };
    default: {
      const unknown: never = route;
      return unknown;
    }
  }
}

export function Layout({ route, workspaceName, onSignOut, children }: Props) {
  const language = useLanguage();
  const { section, title } = place(route);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    document.title = `${title} · Retain`;
    setMenuOpen(false); // a page opened from the folded menu closes it
  }, [title, route, language]);

  return (
    <div className="layout">
      <aside className="sidebar">
        <div className="sidebar-head">
          <div className="brand">Retain</div>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            data-testid="menu-toggle"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {menuOpen ? t('layout.close') : t('layout.menu')}
          </button>
        </div>
        {workspaceName && (
          <div className="workspace" data-testid="workspace-name" data-server-words title={workspaceName}>
            {workspaceName}
          </div>
        )}
        <div className={menuOpen ? 'sidebar-body open' : 'sidebar-body'}>
          <nav className="nav" id="main-nav">
            {SECTIONS.map((s) => (
              <a
                key={s.section}
                href={s.href}
                className={section === s.section ? 'active' : undefined}
                aria-current={section === s.section ? 'page' : undefined}
              >
                {s.label()}
              </a>
            ))}
          </nav>
          <button type="button" className="button secondary sign-out" onClick={onSignOut}>
            {t('layout.signOut')}
          </button>
          <LanguageSwitcher />
        </div>
      </aside>
      <main className="content" key={language}>
        {children}
      </main>
    </div>
  );
}
