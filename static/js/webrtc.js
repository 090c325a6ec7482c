/* One WebRTC call per session: the serving agent offers, the customer answers.
   Signaling travels over Socket.IO (see docs/protocol/live.md); STUN/TURN servers come from
   the session state (ICE_SERVERS). A call that does not connect in time reports "failed",
   and the pages fall back to chat with a visible notice. */
(function () {
  "use strict";

  var CONNECT_TIMEOUT_MS = 20000;

  function LivePeer(options) {
    this.iceServers = options.iceServers || [];
    this.send = options.send;
    this.onState = options.onState || function () {};
    this.localVideo = options.localVideo;
    this.remoteVideo = options.remoteVideo;
    this.stream = null;
    this.pc = null;
    this.pending = [];
    this.timer = null;
  }

  LivePeer.prototype.startLocal = function () {
    var self = this;
    if (self.stream) { return Promise.resolve(true); }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.resolve(false);
    }
    return navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(function (stream) {
      self.stream = stream;
      if (self.localVideo) { self.localVideo.srcObject = stream; }
      return true;
    }).catch(function () { return false; });
  };

  LivePeer.prototype._newConnection = function () {
    var self = this;
    self.close(true);
    var pc = new RTCPeerConnection({ iceServers: self.iceServers });
    self.pc = pc;
    self.pending = [];
    if (self.stream) {
      self.stream.getTracks().forEach(function (track) { pc.addTrack(track, self.stream); });
    }
    pc.onicecandidate = function (event) {
      if (self.pc !== pc) { return; }
      self.send({ type: "candidate", candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.ontrack = function (event) {
      if (self.remoteVideo && event.streams && event.streams[0]) {
        self.remoteVideo.srcObject = event.streams[0];
        var playing = self.remoteVideo.play();
        if (playing && playing.catch) { playing.catch(function () {}); }
      }
    };
    pc.onconnectionstatechange = function () {
      if (self.pc !== pc) { return; }
      var state = pc.connectionState;
      if (state === "connected") { clearTimeout(self.timer); }
      self.onState(state);
    };
    clearTimeout(self.timer);
    self.timer = setTimeout(function () {
      if (self.pc === pc && pc.connectionState !== "connected") { self.onState("failed"); }
    }, CONNECT_TIMEOUT_MS);
    self.onState("connecting");
    return pc;
  };

  LivePeer.prototype.call = function () {
    var self = this;
    var pc = self._newConnection();
    if (!self.stream) {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    return pc.createOffer().then(function (offer) {
      return pc.setLocalDescription(offer).then(function () {
        self.send({ type: "offer", sdp: offer.sdp });
      });
    }).catch(function () { self.onState("failed"); });
  };

  LivePeer.prototype._flush = function () {
    var pc = this.pc;
    this.pending.splice(0).forEach(function (c) { pc.addIceCandidate(c).catch(function () {}); });
  };

  LivePeer.prototype.handle = function (signal) {
    var self = this;
    if (signal.type === "offer") {
      var pc = self._newConnection();
      return pc.setRemoteDescription({ type: "offer", sdp: signal.sdp }).then(function () {
        self._flush();
        return pc.createAnswer();
      }).then(function (answer) {
        return pc.setLocalDescription(answer).then(function () {
          self.send({ type: "answer", sdp: answer.sdp });
        });
      }).catch(function () { self.onState("failed"); });
    }
    if (signal.type === "answer" && self.pc && self.pc.signalingState === "have-local-offer") {
      return self.pc.setRemoteDescription({ type: "answer", sdp: signal.sdp }).then(function () {
        self._flush();
      }).catch(function () { self.onState("failed"); });
    }
    if (signal.type === "candidate" && self.pc && signal.candidate) {
      if (self.pc.remoteDescription) {
        return self.pc.addIceCandidate(signal.candidate).catch(function () {});
      }
      self.pending.push(signal.candidate);
    }
    if (signal.type === "bye") { self.close(true); self.onState("closed"); }
    return Promise.resolve();
  };

  LivePeer.prototype.setMicrophone = function (on) {
    if (!this.stream) { return false; }
    this.stream.getAudioTracks().forEach(function (t) { t.enabled = on; });
    return true;
  };

  LivePeer.prototype.setCamera = function (on) {
    if (!this.stream) { return false; }
    this.stream.getVideoTracks().forEach(function (t) { t.enabled = on; });
    return true;
  };

  LivePeer.prototype.close = function (keepLocal) {
    clearTimeout(this.timer);
    if (this.pc) { this.pc.close(); this.pc = null; }
    if (!keepLocal && this.stream) {
      this.stream.getTracks().forEach(function (t) { t.stop(); });
      this.stream = null;
    }
  };

  window.LivePeer = LivePeer;
})();
