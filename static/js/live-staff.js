/* Staff side of live sessions: the live queue and board, and the session room
   (video, chat, shared form, participants). */
(function () {
  "use strict";
  var C = window.LiveCommon;
  var socket = window.io("/staff");
  var root = document.querySelector("[data-live-page]");
  if (!root) { return; }
  var page = root.getAttribute("data-live-page");

  // Act as soon as the socket is connected (now, if it already is) and after every reconnect.
  function whenConnected(fn) {
    socket.on("connect", fn);
    if (socket.connected) { fn(); }
  }

  if (page === "queue") {
    whenConnected(function () { socket.emit("live:queue:watch", {}, function () {}); });
    socket.on("live:queue", function () { window.htmx.trigger(document.body, "live-queue"); });
    return;
  }
  if (page === "board") {
    whenConnected(function () { socket.emit("live:board:watch", {}, function () {}); });
    socket.on("live:board", function () { window.htmx.trigger(document.body, "live-board"); });
    return;
  }
  if (page === "room") { startRoom(); }

  function startRoom() {
    var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
    var isAgent = root.getAttribute("data-is-agent") === "true";
    var me = parseInt(root.getAttribute("data-staff-id"), 10);
    var chatList = document.getElementById("live-chat");
    var errorBox = document.getElementById("live-error");
    var rtcState = document.getElementById("rtc-state");
    var fallback = document.getElementById("video-fallback");
    var presence = document.getElementById("live-presence");
    var waiting = document.getElementById("video-wait");
    var ended = false;
    var peer = null;
    var cobrowse = new window.LiveCobrowse(document.getElementById("shared-form"), {
      side: "staff",
      send: function (change) {
        change.session_id = sessionId;
        C.emitWithAck(socket, "live:form", change, errorBox);
      }
    });

    function setRtc(state) {
      rtcState.textContent = state;
      rtcState.setAttribute("data-state", state);
      if (state === "connected") { C.showNotice(fallback, ""); }
      if (state === "failed") {
        C.showNotice(fallback, "The video connection failed: continue in chat.");
      }
    }

    function startCall(iceServers) {
      if (!isAgent || ended) { return; }
      if (!peer) {
        peer = new window.LivePeer({
          iceServers: iceServers,
          localVideo: document.getElementById("local-video"),
          remoteVideo: document.getElementById("remote-video"),
          send: function (signal) {
            signal.session_id = sessionId;
            socket.emit("live:signal", signal, function () {});
          },
          onState: setRtc
        });
      }
      peer.startLocal().then(function (ok) {
        if (!ok) { C.showNotice(fallback, "Your camera is not available: the customer will not see you."); }
        peer.call();
      });
    }

    var iceServers = [];
    function apply(state) {
      iceServers = state.ice_servers || [];
      C.renderChat(chatList, state.chat);
      cobrowse.render(state.form);
      C.showNotice(presence, C.participantsText(state.participants));
      if (state.status !== "active") { markEnded(state.ended_by); return; }
      if (state.consent.media === false || state.media_state === "no-camera") {
        C.showNotice(fallback, "No video with this customer: continue in chat.");
      } else if (state.media_state === "ready" || state.media_state === "connected") {
        startCall(iceServers);
      } else {
        C.showNotice(waiting, "Waiting for the customer to allow camera and microphone…");
      }
    }

    function markEnded(by) {
      ended = true;
      if (peer) { peer.close(); }
      setRtc("closed");
      C.showNotice(document.getElementById("live-ended"), by === "customer" ?
        "The customer ended the session. Record the outcome below." : "The session has ended.");
    }

    whenConnected(function () {
      C.emitWithAck(socket, "live:join", { session_id: sessionId }, errorBox).then(function (ack) {
        if (ack.ok) { apply(ack.session); }
      });
    });
    socket.on("live:chat", function (d) { if (d.session_id === sessionId) { C.appendChat(chatList, d.message); } });
    socket.on("live:signal", function (d) { if (peer && d.session_id === sessionId) { peer.handle(d); } });
    socket.on("live:media", function (d) {
      if (d.session_id !== sessionId || d.side !== "customer") { return; }
      C.showNotice(waiting, "");
      if (d.state === "ready") { C.showNotice(fallback, ""); startCall(iceServers); }
      if (d.state === "no-camera" || d.state === "declined" || d.state === "failed") {
        C.showNotice(fallback, "No video with this customer: continue in chat.");
      }
    });
    socket.on("live:consent", function (d) {
      if (d.session_id !== sessionId) { return; }
      if (d.kind === "cobrowse") { cobrowse.setConsent(d.granted); }
      if (d.kind === "media") { C.showNotice(waiting, ""); }
      if (d.kind === "media" && !d.granted) { C.showNotice(fallback, "The customer declined video: continue in chat."); }
    });
    socket.on("live:form:opened", function (d) { if (d.session_id === sessionId) { cobrowse.render(d.form); } });
    socket.on("live:form", function (d) { if (d.session_id === sessionId) { cobrowse.apply(d); } });
    socket.on("live:form:sent", function (d) { if (d.session_id === sessionId) { cobrowse.render(null); } });
    socket.on("live:participants", function (d) {
      if (d.session_id === sessionId) { C.showNotice(presence, C.participantsText(d.participants)); }
    });
    socket.on("live:notes", function () { window.htmx.trigger(document.body, "live-notes"); });
    socket.on("live:ended", function (d) { if (d.session_id === sessionId) { markEnded(d.ended_by); } });
    socket.on("live:transferred", function (d) {
      if (d.session_id !== sessionId) { return; }
      if (d.to_staff_id === me) { window.location.reload(); return; }
      if (!isAgent) {
        // The rooms were emptied for the hand-over: a supervisor listening in joins again.
        C.emitWithAck(socket, "live:join", { session_id: sessionId }, errorBox).then(function (ack) {
          if (ack.ok) { apply(ack.session); }
        });
        return;
      }
      if (peer) { peer.close(); }
      C.showNotice(document.getElementById("live-ended"), "The session was handed over to " + d.to_name + ".");
    });

    C.wireChatForm(document.getElementById("chat-form"), socket, sessionId, errorBox);
    var share = document.getElementById("share-form");
    if (share) {
      share.querySelector("button").disabled = false;
      share.addEventListener("submit", function (event) {
        event.preventDefault();
        var form = share.querySelector("select").value;
        C.emitWithAck(socket, "live:form:open", { session_id: sessionId, form: form }, errorBox);
      });
    }
    C.wireToggle("toggle-mic", function (on) { return peer && peer.setMicrophone(on); });
    C.wireToggle("toggle-cam", function (on) { return peer && peer.setCamera(on); });
  }

})();
