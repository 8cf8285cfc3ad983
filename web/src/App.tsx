// Top-level app: holds the admin-key session and picks the page for the current hash route.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { apiGet, apiPath, clearAdminKey, getAdminKey, setAdminKey, UNAUTHORIZED_EVENT } from './api';
import { parseHash, useHashRoute } from './router';
import type { MeResponse } from './types';
import { t, useLanguage } from './i18n';
import { Layout } from './components/Layout';
import { SignIn } from './pages/SignIn';
import { Overview } from './pages/Overview';
import { Customers } from './pages/Customers';
import { CustomerProfile } from './pages/CustomerProfile';
import { Segments } from './pages/Segments';
import { SegmentDetail } from './pages/SegmentDetail';
import { Journeys } from './pages/Journeys';
import { Rfm } from './pages/Rfm';
import { Models } from './pages/Models';
import { Messages } from './pages/Messages';
import { TemplateEditor } from './pages/TemplateEditor';
import { Analytics } from './pages/Analytics';
import { Channels } from './pages/Channels';
import { ChannelSetup } from './pages/ChannelSetup';
import { Coupons } from './pages/Coupons';
import { Results } from './pages/Results';
import { Loyalty } from './pages/Loyalty';

// The editor (with @xyflow/react) is a chunk of its own, loaded when first opened.
const JourneyEditor = lazy(() => import('./pages/JourneyEditor').then((m) => ({ default: m.JourneyEditor })));

export function App() {
  const [adminKey, setKey] = useState<string | null>(() => getAdminKey());
  const [me, setMe] = useState<MeResponse | null>(null);
  const route = useHashRoute();
  useLanguage(); // the sign-in page re-renders in a newly chosen language

  const signOut = useCallback(() => {
    clearAdminKey();
    setKey(null);
    setMe(null);
  }, []);

  const signIn = useCallback((key: string, info: MeResponse) => {
    setAdminKey(key);
    setKey(key);
    setMe(info);
    if (!window.location.hash || parseHash(window.location.hash) === null) window.location.hash = '#/overview';
  }, []);

  // A stored key that the server rejects later (revoked, new workspace) sends the user back to sign-in.
  useEffect(() => {
    window.addEventListener(UNAUTHORIZED_EVENT, signOut);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, signOut);
  }, [signOut]);

  // Workspace name for the sidebar when the page is opened with a stored key.
  useEffect(() => {
    if (!adminKey || me) return;
    let live = true;
    apiGet<MeResponse>(apiPath('/me'))
      .then((info) => live && setMe(info))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [adminKey, me]);

  if (!adminKey) return <SignIn onSignedIn={signIn} />;

  return (
    <Layout route={route} workspaceName={me?.workspace.name ?? null} onSignOut={signOut}>
      {route.page === 'overview' && <Overview />}
      {route.page === 'customers' && (
        <Customers key={route.rfm ? `${route.rfm.r}-${route.rfm.f}` : 'all'} rfm={route.rfm ?? null} />
      )}
      {route.page === 'customer' && <CustomerProfile key={route.id} id={route.id} />}
      {route.page === 'segments' && <Segments />}
      {route.page === 'segment' && <SegmentDetail key={route.id} id={route.id} />}
      {route.page === 'journeys' && <Journeys />}
      {route.page === 'journey' && (
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          <JourneyEditor id={route.id} />
        </Suspense>
      )}
      {route.page === 'messages' && <Messages />}
      {route.page === 'template' && <TemplateEditor id={route.id} />}
      {route.page === 'analytics' && <Analytics />}
      {route.page === 'results' && <Results />}
      {route.page === 'loyalty' && <Loyalty />}
      {route.page === 'rfm' && <Rfm />}
      {route.page === 'models' && <Models />}
      {route.page === 'channels' && <Channels />}
      {route.page === 'channel' && <ChannelSetup key={route.channel} channel={route.channel} />}
      {route.page === 'coupons' && <Coupons />}
    </Layout>
  );
}
