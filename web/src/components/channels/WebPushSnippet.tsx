// The Web Push snippet to paste on the shop's site: the service worker file and the script tag with the VAPID public key.
import { t } from '../../i18n';
export function WebPushSnippet({ vapidKey }: { vapidKey: string }) {
  const origin = window.location.origin;
  const worker = `importScripts('${origin}/sdk/retain-sw.js');`;
  const tag = `<script src="${origin}/sdk/webpush.js"\n        data-key="YOUR_PUBLIC_API_KEY"\n        data-vapid="${vapidKey}"\n        data-sw="/retain-sw.js" defer></script>`;
  return (
    <section className="card ch-form" data-testid="webpush-snippet">
      <h2>{t('snippet.title')}</h2>
      <p>
        {t('snippet.step1Before')} <code>/retain-sw.js</code> {t('snippet.step1After')}
      </p>
      <pre className="ch-snippet">{worker}</pre>
      <p>
        {t('snippet.step2Before')} <code>rk_pub</code>
        {t('snippet.step2Middle')} <code>data-key</code>:
      </p>
      <pre className="ch-snippet" data-testid="webpush-tag">
        {tag}
      </pre>
      <p className="muted">
        {t('snippet.step3Before')} <code>RetainPush.subscribe()</code> {t('snippet.step3After')}
      </p>
    </section>
  );
}
