// The idle time-out counts what the staff member does, not what the page does by itself:
// an htmx request that no person's input started (a poll, a refresh after a socket event,
// a panel loading itself) says so in a header, and the server does not count it as activity.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    const cause = event.detail.triggeringEvent;
    if (!cause || !cause.isTrusted) event.detail.headers["X-Background-Refresh"] = "1";
  });
})();
