// Workstation pages: the /staff socket. Every task panel (data-task-panel, data-customer-id),
// on the page or loaded into it later, follows its customer's task statuses and refreshes
// itself over HTTP (htmx event "task-status" on the panel) only when it shows less than the
// socket reported: a status it does not show yet, or, on (re)joining the customer's room, a
// change after the time it was rendered from. The status of a task just sent or withdrawn
// from the panel comes back with the panel itself, so it costs no second request (nor a
// second "tasks viewed" record).
(function () {
  "use strict";
  if (typeof io === "undefined" || window.cowStaffSocket) return;
  const socket = io("/staff");
  const unchecked = new Map();  // customer id -> statuses not yet compared with the panel

  function panelOf(customerId) {
    return document.getElementById("task-panel-" + customerId);
  }
  // A send, withdrawal or refresh of this panel is on its way, or the panel has just been
  // swapped in and htmx has not wired its triggers yet (it is "htmx-added" until then).
  function busy(panel) {
    return panel.classList.contains("htmx-added") || panel.classList.contains("htmx-request") ||
      !!panel.querySelector(".htmx-request");
  }
  function shows(panel, status) {
    return !!panel.querySelector('tr[data-task-id="' + CSS.escape(status.id) +
                                 '"][data-status="' + CSS.escape(status.status) + '"]');
  }
  function refresh(panel) {
    if (window.htmx) window.htmx.trigger(panel, "task-status");
  }
  // Statuses are compared once the panel is settled (looked at again after every htmx
  // request and swap): the answer to a send usually lands after the status event the send
  // caused, and it already shows that status.
  function check(customerId) {
    const panel = panelOf(customerId);
    if (!panel) { unchecked.delete(customerId); return; }
    if (busy(panel)) return;
    const statuses = unchecked.get(customerId) || [];
    unchecked.delete(customerId);
    if (statuses.some(function (status) { return !shows(panel, status); })) refresh(panel);
  }
  function checkAll() {
    Array.from(unchecked.keys()).forEach(check);
  }
  document.body.addEventListener("htmx:afterRequest", checkAll);

  const watching = new Set();  // customers whose room this page has joined (on <body>)
  function showWatching() {
    document.body.dataset.watchingTasks = Array.from(watching).join(" ");
  }
  function watch(panel) {
    const customerId = parseInt(panel.dataset.customerId, 10);
    socket.emit("tasks:watch", { customer_id: customerId }, function (ack) {
      const current = panelOf(customerId);
      if (!ack || !ack.ok || !current) return;
      const rendered = current.querySelector("[data-changed-at]");
      // Changed while the socket was away (or between rendering and joining the room).
      if (!rendered || rendered.dataset.changedAt !== ack.changed_at) refresh(current);
      watching.add(customerId);
      showWatching();
    });
  }
  function panelsIn(root) {
    const selector = "[data-task-panel][data-customer-id]";
    const found = Array.from(root.querySelectorAll ? root.querySelectorAll(selector) : []);
    if (root.matches && root.matches(selector)) found.push(root);
    return found;
  }
  socket.on("connect", function () {
    panelsIn(document).forEach(watch);
  });
  // A panel loaded into the page later (the profile and the live session load theirs).
  document.body.addEventListener("htmx:load", function (event) {
    checkAll();
    if (!socket.connected) return;  // joined on connect
    panelsIn(event.detail.elt).forEach(function (panel) {
      if (!watching.has(parseInt(panel.dataset.customerId, 10))) watch(panel);
    });
  });
  socket.on("disconnect", function () {
    watching.clear();
    showWatching();
  });
  socket.on("task:status", function (status) {
    if (!status || !panelOf(status.customer_id)) return;
    const statuses = unchecked.get(status.customer_id) || [];
    statuses.push(status);
    unchecked.set(status.customer_id, statuses);
    check(status.customer_id);
  });
  // Live sessions that need this staff member now, whatever page they are on.
  function alertLink(text, href) {
    const alerts = document.getElementById("staff-alerts");
    if (!alerts) return;
    const line = document.createElement("p");
    line.className = "flash flash-info";
    const link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    line.appendChild(link);
    alerts.appendChild(line);
  }
  socket.on("live:invite:accepted", function (d) {
    alertLink(d.customer_name + " accepted your invite (open the session)",
              "/live/sessions/" + d.session_id);
  });
  socket.on("live:transfer", function (d) {
    alertLink(d.from_name + " handed a session to you: " + d.note + " (open)",
              "/live/sessions/" + d.session_id);
  });
  // Deactivated, second factor reset or signed out in another tab: this page is over too.
  socket.on("signed_out", function () {
    window.location.assign("/auth/login");
  });
  window.cowStaffSocket = socket;
})();
