// Retain Web Push snippet: registers the service worker, subscribes with your VAPID public key, sends the subscription
// to Retain. Include it on your site (settings as data attributes, or as query parameters of the script URL):
//   <script src="https://<your Retain>/sdk/webpush.js" data-key="<public key>" data-vapid="<VAPID public key>"
//           data-user-id="<the signed-in customer's id, if any>" data-sw="/retain-sw.js" defer></script>
// then call RetainPush.subscribe() from a click (browsers ask for permission only after a user gesture). When the
// permission was granted before, the page refreshes the subscription by itself on every visit.
(function () {
  var script = document.currentScript;
  var src = new URL(script.src, location.href);
  var setting = function (name) {
    return script.getAttribute('data-' + name) || src.searchParams.get(name) || null;
  };
  var api = src.origin;
  var key = setting('key');
  var vapid = setting('vapid');
  var worker = setting('sw') || '/retain-sw.js';

  function keyBytes(base64url) {
    var base64 = (base64url + '==='.slice((base64url.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // The visitor: the given ids, else the signed-in id from the tag, else analytics.js's anonymous id, else our own.
  function identity(given) {
    if (given && (given.userId || given.anonymousId)) return given;
    var userId = setting('user-id');
    if (userId) return { userId: userId };
    var anonymousId;
    try {
      anonymousId = JSON.parse(localStorage.getItem('ajs_anonymous_id') || 'null');
    } catch (e) {
      anonymousId = localStorage.getItem('ajs_anonymous_id');
    }
    if (!anonymousId) {
      anonymousId = localStorage.getItem('retain_anonymous_id');
      if (!anonymousId) {
        anonymousId = crypto.randomUUID();
        localStorage.setItem('retain_anonymous_id', anonymousId);
      }
    }
    return { anonymousId: anonymousId };
  }

  function subscribe(given) {
    if (!('serviceWorker' in navigator) || !('PushManager' in window))
      return Promise.reject(new Error('This browser has no Web Push.'));
    if (!key || !vapid)
      return Promise.reject(new Error('Retain Web Push: set data-key (public key) and data-vapid (VAPID public key).'));
    return navigator.serviceWorker
      .register(worker)
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapid) });
      })
      .then(function (subscription) {
        var who = identity(given);
        var body = { subscription: subscription.toJSON ? subscription.toJSON() : subscription };
        if (who.userId) body.userId = who.userId;
        if (who.anonymousId) body.anonymousId = who.anonymousId;
        return fetch(api + '/v1/push/subscribe', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Basic ' + btoa(key + ':') },
          body: JSON.stringify(body),
        });
      })
      .then(function (res) {
        if (!res.ok) throw new Error('Retain refused the subscription (HTTP ' + res.status + ')');
        return res.json();
      });
  }

  window.RetainPush = { subscribe: subscribe };
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    subscribe().catch(function (err) {
      console.warn(err);
    });
  }
})();
