/* Shared helpers of the live-session pages: chat rendering (always as text, never HTML),
   acks, notices. */
(function () {
  "use strict";

  function appendChat(list, message) {
    if (!list || list.querySelector('[data-id="' + message.id + '"]')) { return; }
    var item = document.createElement("li");
    item.className = "live-chat-" + message.sender;
    item.setAttribute("data-id", String(message.id));
    if (message.sender !== "system") {
      var who = document.createElement("strong");
      who.textContent = (message.name || message.sender) + ": ";
      item.appendChild(who);
    }
    var body = document.createElement("span");
    body.className = "live-chat-body";
    body.textContent = message.body;
    item.appendChild(body);
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function renderChat(list, messages) {
    (messages || []).forEach(function (m) { appendChat(list, m); });
  }

  function showNotice(element, text) {
    if (!element) { return; }
    element.textContent = text;
    element.hidden = !text;
  }

  function emitWithAck(socket, event, payload, errorElement) {
    return new Promise(function (resolve) {
      socket.timeout(10000).emit(event, payload, function (err, ack) {
        if (err) { ack = { ok: false, error: { message: "No answer from the server; try again." } }; }
        if (!ack.ok && errorElement) { showNotice(errorElement, ack.error.message); }
        if (ack.ok && errorElement) { showNotice(errorElement, ""); }
        resolve(ack);
      });
    });
  }

  function wireChatForm(form, socket, sessionId, errorElement) {
    var send = form.querySelector("button[type=submit]");
    send.disabled = false;  // rendered disabled so nothing is sent before this handler exists
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("textarea, input[name=body]");
      var body = input.value;
      emitWithAck(socket, "live:chat", { session_id: sessionId, body: body }, errorElement)
        .then(function (ack) {
          if (ack.ok) {
            input.value = "";
            appendChat(document.getElementById("live-chat"), ack.message);
          }
        });
    });
  }

  function participantsText(participants) {
    var supervisors = (participants || []).filter(function (p) { return p.role === "supervisor"; });
    return supervisors.length ? "A supervisor is present: " +
      supervisors.map(function (p) { return p.name; }).join(", ") + "." : "";
  }

  /* aria-pressed="true" means switched off (muted / camera off). */
  function wireToggle(id, apply) {
    var button = document.getElementById(id);
    if (!button) { return; }
    button.addEventListener("click", function () {
      var off = button.getAttribute("aria-pressed") !== "true";
      if (apply(!off)) {
        button.setAttribute("aria-pressed", off ? "true" : "false");
        button.textContent = button.getAttribute(off ? "data-on" : "data-off");
      }
    });
  }

  window.LiveCommon = {
    wireToggle: wireToggle,
    appendChat: appendChat,
    renderChat: renderChat,
    showNotice: showNotice,
    emitWithAck: emitWithAck,
    wireChatForm: wireChatForm,
    participantsText: participantsText
  };
})();
