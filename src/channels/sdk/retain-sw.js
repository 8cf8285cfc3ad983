// Retain Web Push service worker: shows each push as a notification and opens its link when clicked.
// Service workers must come from your site's own origin: serve a file /retain-sw.js on your site containing
//   importScripts('https://<your Retain>/sdk/retain-sw.js');
// and let the snippet (/sdk/webpush.js) register it.
self.addEventListener('push', function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (e) {
      data = { body: event.data.text() };
    }
  }
  var options = { body: data.body || '', data: { url: data.url || null } };
  if (data.icon) options.icon = data.icon;
  if (data.key) options.tag = data.key;
  event.waitUntil(self.registration.showNotification(data.title || '', options));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  if (!url) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && 'focus' in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
