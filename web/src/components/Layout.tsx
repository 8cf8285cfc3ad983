// Page frame: sidebar with the workspace name, navigation and sign-out; on a phone the navigation folds behind a menu
// button. Each page gets its own document title.
import { useEffect, useState, type ReactNode } from 'react';
import type { Route } from '../router';

interface Props {
  route: Route;
  workspaceName: string | null;
  onSignOut: () => void;
  children: ReactNode;
}

type Section = 'overview' | 'customers' | 'segments' | 'journeys' | 'messages' | 'analytics' | 'rfm' | 'models' | 'channels';

/** The navigation, in order: one entry per section. */
const SECTIONS: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '#/overview', label: 'Overview' },
  { section: 'customers', href: '#/customers', label: 'Customers' },
  { section: 'segments', href: '#/segments', label: 'Segments' },
  { section: 'journeys', href: '#/journeys', label: 'Journeys' },
  { section: 'messages', href: '#/messages', label: 'Messages' },
  { section: 'analytics', href: '#/analytics', label: 'Analytics' },
  { section: 'rfm', href: '#/rfm', label: 'RFM' },
  { section: 'models', href: '#/models', label: 'Models' },
  { section: 'channels', href: '#/channels', label: 'Channels' },
];

/** The section a route belongs to, and the page's own title. */
function place(route: Route): { section: Section; title: string } {
  switch (route.page) {
    case 'overview':
      return { section: 'overview', title: 'Overview' };
    case 'customers':
      return { section: 'customers', title: route.rfm ? `Customers in RFM R${route.rfm.r} F${route.rfm.f}` : 'Customers' };
    case 'customer':
      return { section: 'customers', title: 'Customer' };
    case 'segments':
      return { section: 'segments', title: 'Segments' };
    case 'segment':
      return { section: 'segments', title: 'Segment' };
    case 'journeys':
      return { section: 'journeys', title: 'Journeys' };
    case 'journey':
      return { section: 'journeys', title: route.id ? 'Journey' : 'New journey' };
    case 'messages':
      return { section: 'messages', title: 'Messages' };
    case 'template':
      return { section: 'messages', title: route.id ? 'Template' : 'New template' };
    case 'analytics':
      return { section: 'analytics', title: 'Analytics' };
    case 'rfm':
      return { section: 'rfm', title: 'RFM' };
    case 'models':
      return { section: 'models', title: 'Models' };
    case 'channels':
      return { section: 'channels', title: 'Channels' };
    case 'channel':
      return { section: 'channels', title: `Channel: ${route.channel}` };
    default: {
      const unknown: never = route;
      return unknown;
    }
  }
}

export function Layout({ route, workspaceName, onSignOut, children }: Props) {
  const { section, title } = place(route);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    document.title = `${title} · Retain`;
    setMenuOpen(false); // a page opened from the folded menu closes it
  }, [title, route]);

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
            {menuOpen ? 'Close' : 'Menu'}
          </button>
        </div>
        {workspaceName && (
          <div className="workspace" data-testid="workspace-name" title={workspaceName}>
            {workspaceName}
          </div>
        )}
        <div className={menuOpen ? 'sidebar-body open' : 'sidebar-body'}>
          <nav className="nav" id="main-nav">
            {SECTIONS.map((s) => (
              <a key={s.section} href={s.href} className={section === s.section ? 'active' : undefined} aria-current={section === s.section ? 'page' : undefined}>
                {s.label}
              </a>
            ))}
          </nav>
          <button type="button" className="button secondary sign-out" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
