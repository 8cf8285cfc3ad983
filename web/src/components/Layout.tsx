// Page frame: left sidebar with workspace name, navigation (Overview, Customers, Segments, Journeys, Messages, Analytics, RFM, Models, Channels) and sign-out.
import type { ReactNode } from 'react';
import type { Route } from '../router';

interface Props {
  route: Route;
  workspaceName: string | null;
  onSignOut: () => void;
  children: ReactNode;
}

export function Layout({ route, workspaceName, onSignOut, children }: Props) {
  const section =
    route.page === 'overview' ? 'overview'
    : route.page === 'segments' || route.page === 'segment' ? 'segments'
    : route.page === 'journeys' || route.page === 'journey' ? 'journeys'
    : route.page === 'messages' || route.page === 'template' ? 'messages'
    : route.page === 'channels' || route.page === 'channel' ? 'channels'
    : route.page === 'rfm' || route.page === 'models' || route.page === 'analytics' ? route.page
    : 'customers';
  return (
    <div className="layout">
      <aside className="sidebar">
        <div className="brand">Retain</div>
        {workspaceName && (
          <div className="workspace" data-testid="workspace-name" title={workspaceName}>
            {workspaceName}
          </div>
        )}
        <nav className="nav">
          <a href="#/overview" className={section === 'overview' ? 'active' : undefined} aria-current={section === 'overview' ? 'page' : undefined}>
            Overview
          </a>
          <a href="#/customers" className={section === 'customers' ? 'active' : undefined} aria-current={section === 'customers' ? 'page' : undefined}>
            Customers
          </a>
          <a href="#/segments" className={section === 'segments' ? 'active' : undefined} aria-current={section === 'segments' ? 'page' : undefined}>
            Segments
          </a>
          <a href="#/journeys" className={section === 'journeys' ? 'active' : undefined} aria-current={section === 'journeys' ? 'page' : undefined}>
            Journeys
          </a>
          <a href="#/messages" className={section === 'messages' ? 'active' : undefined} aria-current={section === 'messages' ? 'page' : undefined}>
            Messages
          </a>
          <a href="#/analytics" className={section === 'analytics' ? 'active' : undefined} aria-current={section === 'analytics' ? 'page' : undefined}>
            Analytics
          </a>
          <a href="#/rfm" className={section === 'rfm' ? 'active' : undefined} aria-current={section === 'rfm' ? 'page' : undefined}>
            RFM
          </a>
          <a href="#/models" className={section === 'models' ? 'active' : undefined} aria-current={section === 'models' ? 'page' : undefined}>
            Models
          </a>
          <a href="#/channels" className={section === 'channels' ? 'active' : undefined} aria-current={section === 'channels' ? 'page' : undefined}>
            Channels
          </a>
        </nav>
        <button type="button" className="button secondary sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
