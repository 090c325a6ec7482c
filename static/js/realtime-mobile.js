// Mobile web client: the /customer socket. Replays open tasks on every (re)connect,
// acknowledges each task, announces each task id once, and refreshes task lists.
(function () {
  "use strict";
  const body = document.body;
  const customerId = body.dataset.customerId;
  if (!customerId || typeof io === "undefined") return;
  const seqKey = "cow.tasks.lastSeq." + customerId;
  const shownKey = "cow.tasks.shown." + customerId;
  const indicator = document.getElementById("m-connection");

  function lastSeq() { return parseInt(localStorage.getItem(seqKey) || "0", 10) || 0; }
  function shownIds() {
    try { return new Set(JSON.parse(localStorage.getItem(shownKey) || "[]")); } catch (e) { return new Set(); }
  }
  function markShown(id) {
    const ids = Array.from(shownIds());
    ids.push(id);
    localStorage.setItem(shownKey, JSON.stringify(ids.slice(-200)));
  }
  function tasksChanged() {
    if (window.htmx) window.htmx.trigger(body, "tasks-changed");
    body.dispatchEvent(new CustomEvent("cow:tasks-changed"));
  }
  function announce(task) {
    const list = document.getElementById("m-announcements");
    if (!list || document.querySelector('[data-task-id="' + task.id + '"]')) return;
    const link = document.createElement("a");
    link.className = "m-flash m-announcement";
    link.href = "/m/tasks/" + encodeURIComponent(task.id);
    link.dataset.announcedTask = task.id;
    link.textContent = "New: " + task.title + " — tap to open";
    list.appendChild(link);
  }
  function receive(socket, task) {
    if (!task || typeof task.id !== "string") return;
    socket.emit("task:ack", { id: task.id });
    if (task.seq > lastSeq()) localStorage.setItem(seqKey, String(task.seq));
    if (!shownIds().has(task.id)) {
      markShown(task.id);
      announce(task);
    }
    tasksChanged();
  }
  function setOnline(online) {
    body.dataset.socket = online ? "connected" : "offline";
    if (!indicator) return;
    indicator.hidden = online;
    indicator.textContent = online ? "" : "Offline: reconnecting…";
  }

  const socket = io("/customer");
  socket.on("connect", function () {
    setOnline(true);
    socket.emit("task:sync", { after_seq: lastSeq() }, function (reply) {
      if (reply && reply.ok) reply.tasks.forEach(function (t) { receive(socket, t); });
    });
  });
  socket.on("disconnect", function () { setOnline(false); });
  socket.on("connect_error", function () { setOnline(false); });
  socket.on("task", function (task) { receive(socket, task); });
  socket.on("task:status", function (status) {
    tasksChanged();
    const screen = document.getElementById("task");
    if (screen && status && screen.dataset.taskId === status.id && screen.dataset.answering !== "yes") {
      window.location.reload();
    }
  });
  socket.on("signed_out", function () { window.location.href = "/m/sign-in"; });
  window.cowCustomerSocket = socket;
})();
