// Card services and alert pages: socket events make htmx reload the panels over HTTP.
// "cards:changed" and "task:status" of the page's customer reload the cards panel; "alerts:new"
// the alert list.
// While the staff member has an action form open, the reload waits until it is closed,
// so a live update never throws away what they are typing.
(function () {
  "use strict";
  if (typeof io === "undefined") return;
  const socket = window.cowStaffSocket || io("/staff");
  let cardsPending = false;

  function fire(name) {
    if (window.htmx) window.htmx.trigger(document.body, name);
  }
  function editing() {
    return document.querySelector("[data-cards-customer-id] details[open]") !== null;
  }
  function refreshCards() {
    if (editing()) {
      cardsPending = true;
      return;
    }
    cardsPending = false;
    fire("cards-changed");
  }
  function watch() {
    document.querySelectorAll("[data-cards-customer-id]").forEach(function (panel) {
      socket.emit("tasks:watch", { customer_id: parseInt(panel.dataset.cardsCustomerId, 10) });
    });
  }
  // "toggle" does not bubble: listen in the capture phase.
  document.addEventListener("toggle", function () {
    if (cardsPending) refreshCards();
  }, true);
  // A reload already on its way when a form was opened is not swapped in either.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (target && target.matches("[data-cards-customer-id]") && editing()) {
      event.detail.shouldSwap = false;
      cardsPending = true;
    }
  });
  if (socket.connected) watch();
  socket.on("connect", function () {
    watch();
    refreshCards();
    fire("alerts-changed");
  });
  // Only this page's customer matters: the staff member's own room also carries the statuses
  // of tasks they sent to other customers, and every reload is one more audited view.
  function forThisCustomer(handler) {
    return function (event) {
      if (event && document.querySelector(
        '[data-cards-customer-id="' + parseInt(event.customer_id, 10) + '"]')) handler();
    };
  }
  socket.on("cards:changed", forThisCustomer(refreshCards));
  socket.on("task:status", forThisCustomer(refreshCards));
  socket.on("alerts:new", function () { fire("alerts-changed"); });
})();
