// The Web Push snippet to paste on the shop's site: the service worker file and the script tag with the VAPID public key.
export function WebPushSnippet({ vapidKey }: { vapidKey: string }) {
  const origin = window.location.origin;
  const worker = `importScripts('${origin}/sdk/retain-sw.js');`;
  const tag = `<script src="${origin}/sdk/webpush.js"\n        data-key="YOUR_PUBLIC_API_KEY"\n        data-vapid="${vapidKey}"\n        data-sw="/retain-sw.js" defer></script>`;
  return (
    <section className="card ch-form" data-testid="webpush-snippet">
      <h2>Put Web Push on your site</h2>
      <p>
        1. Create the file <code>/retain-sw.js</code> at the root of your site with this line:
      </p>
      <pre className="ch-snippet">{worker}</pre>
      <p>
        2. Paste this tag on every page, with your workspace’s public API key (it starts with <code>rk_pub</code>) in <code>data-key</code>:
      </p>
      <pre className="ch-snippet" data-testid="webpush-tag">
        {tag}
      </pre>
      <p className="muted">3. Call <code>RetainPush.subscribe()</code> from a button: browsers ask for permission only after a click.</p>
    </section>
  );
}
