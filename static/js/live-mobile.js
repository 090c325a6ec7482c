/* Customer side of live sessions in the mobile web client: the queue position and the
   session (consent screens, video, chat, shared form, end). */
(function () {
  "use strict";
  var C = window.LiveCommon;
  var root = document.querySelector("[data-live-page]");
  if (!root) { return; }
  var socket = window.io("/customer");
  var page = root.getAttribute("data-live-page");
  var banner = document.getElementById("m-connection");

  socket.on("disconnect", function () { C.showNotice(banner, "Connection lost: reconnecting…"); });
  socket.on("connect", function () { C.showNotice(banner, ""); });
  socket.on("connect_error", function () { C.showNotice(banner, "Cannot reach the bank: retrying…"); });

  if (page === "queue") { startQueue(); }
  if (page === "session") { startSession(); }

  function minutes(seconds) {
    var m = Math.max(1, Math.round(seconds / 60));
    return m === 1 ? "about 1 minute" : "about " + m + " minutes";
  }

  function startQueue() {
    var position = document.getElementById("queue-position");
    var wait = document.getElementById("queue-wait");
    function goTo(sessionId) { window.location.assign("/m/live/s/" + sessionId); }
    function show(place) {
      if (!place) { return; }
      position.textContent = String(place.position);
      wait.textContent = minutes(place.estimated_wait_seconds);
    }
    function checkIn() {
      socket.emit("live:queue:status", {}, function (ack) {
        if (ack && ack.ok && ack.session_id) { goTo(ack.session_id); return; }
        if (ack && ack.ok) { show(ack.queue); }
      });
    }
    socket.on("connect", checkIn);
    // Waiting customers check in; a closed screen drops out of line until it comes back.
    setInterval(function () { if (socket.connected) { checkIn(); } }, 20000);
    socket.on("live:queue:position", show);
    socket.on("live:session:assigned", function (d) { goTo(d.session_id); });
  }

  function startSession() {
    var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
    var chatList = document.getElementById("live-chat");
    var errorBox = document.getElementById("live-error");
    var fallback = document.getElementById("video-fallback");
    var presence = document.getElementById("live-presence");
    var rtcState = document.getElementById("rtc-state");
    var mediaConsent = document.getElementById("consent-media");
    var coConsent = document.getElementById("consent-cobrowse");
    var formBox = document.getElementById("shared-form-box");
    var rateUrl = "/m/live/s/" + sessionId + "/rate";
    var mediaStarted = false;
    function noVideo(text) {
      C.showNotice(fallback, text);
      root.classList.add("live-no-video");
    }
    var peer = new window.LivePeer({
      localVideo: document.getElementById("local-video"),
      remoteVideo: document.getElementById("remote-video"),
      send: function (signal) {
        signal.session_id = sessionId;
        socket.emit("live:signal", signal, function () {});
      },
      onState: function (state) {
        rtcState.textContent = state;
        rtcState.setAttribute("data-state", state);
        if (state === "connected") {
          C.showNotice(fallback, "");
          socket.emit("live:media", { session_id: sessionId, state: "connected" }, function () {});
        }
        if (state === "failed") {
          C.showNotice(fallback, "The video connection failed: you can carry on in the chat.");
          socket.emit("live:media", { session_id: sessionId, state: "failed" }, function () {});
        }
      }
    });
    var cobrowse = new window.LiveCobrowse(document.getElementById("shared-form"), {
      side: "customer",
      send: function (change) {
        change.session_id = sessionId;
        C.emitWithAck(socket, "live:form", change, errorBox);
      },
      submit: function (privateValues) {
        return C.emitWithAck(socket, "live:form:send",
          { session_id: sessionId, private: privateValues }, errorBox);
      }
    });

    function startMedia() {
      mediaConsent.hidden = true;
      if (mediaStarted) {
        socket.emit("live:media", { session_id: sessionId, state: "ready" }, function () {});
        return;
      }
      mediaStarted = true;
      peer.startLocal().then(function (ok) {
        if (ok) {
          socket.emit("live:media", { session_id: sessionId, state: "ready" }, function () {});
        } else {
          noVideo("No camera or microphone found: you can carry on in the chat.");
          socket.emit("live:media", { session_id: sessionId, state: "no-camera" }, function () {});
        }
      });
    }

    function showForm(form) {
      cobrowse.render(form);
      formBox.hidden = !form;
      coConsent.hidden = !form || form.consent !== null;
    }

    function apply(state) {
      if (state.status !== "active") { window.location.assign(rateUrl); return; }
      C.renderChat(chatList, state.chat);
      C.showNotice(presence, C.participantsText(state.participants));
      showForm(state.form);
      if (state.consent.media === true) { startMedia(); }
      else if (state.consent.media === false) {
        noVideo("Video is off: you chose not to share your camera.");
      } else { mediaConsent.hidden = false; }
    }

    function answer(kind, granted) {
      return C.emitWithAck(socket, "live:consent",
        { session_id: sessionId, kind: kind, granted: granted }, errorBox);
    }

    document.getElementById("media-allow").addEventListener("click", function () {
      answer("media", true).then(function (ack) { if (ack.ok) { startMedia(); } });
    });
    document.getElementById("media-deny").addEventListener("click", function () {
      answer("media", false).then(function (ack) {
        if (ack.ok) {
          mediaConsent.hidden = true;
          noVideo("Video is off: you chose not to share your camera.");
        }
      });
    });
    document.getElementById("cobrowse-allow").addEventListener("click", function () {
      answer("cobrowse", true).then(function (ack) { if (ack.ok) { coConsent.hidden = true; cobrowse.setConsent(true); } });
    });
    document.getElementById("cobrowse-deny").addEventListener("click", function () {
      answer("cobrowse", false).then(function (ack) { if (ack.ok) { coConsent.hidden = true; formBox.hidden = true; } });
    });
    document.getElementById("end-session").addEventListener("click", function () {
      C.emitWithAck(socket, "live:end", { session_id: sessionId }, errorBox).then(function (ack) {
        if (ack.ok || (ack.error && ack.error.code === "session_ended")) { window.location.assign(rateUrl); }
      });
    });

    socket.on("connect", function () {
      C.emitWithAck(socket, "live:join", { session_id: sessionId }, errorBox).then(function (ack) {
        if (ack.ok) { apply(ack.session); }
      });
    });
    socket.on("live:chat", function (d) { if (d.session_id === sessionId) { C.appendChat(chatList, d.message); } });
    socket.on("live:signal", function (d) { if (d.session_id === sessionId) { peer.handle(d); } });
    socket.on("live:form:opened", function (d) { if (d.session_id === sessionId) { showForm(d.form); } });
    socket.on("live:form", function (d) { if (d.session_id === sessionId) { cobrowse.apply(d); } });
    socket.on("live:form:sent", function (d) {
      if (d.session_id === sessionId) { showForm(null); C.showNotice(errorBox, ""); }
    });
    socket.on("live:participants", function (d) {
      if (d.session_id === sessionId) { C.showNotice(presence, C.participantsText(d.participants)); }
    });
    socket.on("live:ended", function (d) {
      if (d.session_id === sessionId) { peer.close(); window.location.assign(rateUrl); }
    });
    C.wireChatForm(document.getElementById("chat-form"), socket, sessionId, errorBox);
    C.wireToggle("toggle-mic", function (on) { return peer.setMicrophone(on); });
    C.wireToggle("toggle-cam", function (on) { return peer.setCamera(on); });
  }
})();
