// Workstation pages: the /staff socket. Every element with data-task-panel and
// data-customer-id follows that customer's task statuses; each status change fires the
// htmx event "task-status" on <body>, so panels refresh themselves over HTTP.
(function () {
  "use strict";
  if (typeof io === "undefined" || window.cowStaffSocket) return;
  const socket = io("/staff");
  function watchPanels() {
    document.querySelectorAll("[data-task-panel][data-customer-id]").forEach(function (panel) {
      socket.emit("tasks:watch", { customer_id: parseInt(panel.dataset.customerId, 10) });
    });
  }
  socket.on("connect", function () {
    watchPanels();
    // Statuses may have changed while the socket was away.
    if (window.htmx) window.htmx.trigger(document.body, "task-status");
  });
  socket.on("task:status", function (status) {
    if (window.htmx) window.htmx.trigger(document.body, "task-status", status);
    document.body.dispatchEvent(new CustomEvent("cow:task-status", { detail: status }));
  });
  // Deactivated, second factor reset or signed out in another tab: this page is over too.
  socket.on("signed_out", function () {
    window.location.assign("/auth/login");
  });
  window.cowStaffSocket = socket;
})();
