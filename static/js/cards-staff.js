// Card services and alert pages: socket events make htmx reload the panels over HTTP.
// "cards:changed" and "task:status" reload the cards panel; "alerts:new" the alert list.
(function () {
  "use strict";
  if (typeof io === "undefined") return;
  const socket = window.cowStaffSocket || io("/staff");
  function fire(name) {
    if (window.htmx) window.htmx.trigger(document.body, name);
  }
  function watch() {
    document.querySelectorAll("[data-cards-customer-id]").forEach(function (panel) {
      socket.emit("tasks:watch", { customer_id: parseInt(panel.dataset.cardsCustomerId, 10) });
    });
  }
  if (socket.connected) watch();
  socket.on("connect", function () {
    watch();
    fire("cards-changed");
    fire("alerts-changed");
  });
  socket.on("cards:changed", function () { fire("cards-changed"); });
  socket.on("task:status", function () { fire("cards-changed"); });
  socket.on("alerts:new", function () { fire("alerts-changed"); });
})();
