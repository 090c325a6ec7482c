// Mobile web client: the screen of one task. Collects the answer for the task's kind and
// sends it with the payload hash of what is shown (dynamic linking).
(function () {
  "use strict";
  const root = document.getElementById("task");
  if (!root || root.dataset.open !== "yes") return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const errorBox = document.getElementById("task-error");
  const doneBox = document.getElementById("task-done");
  const kind = root.dataset.kind;

  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }
  function finished(status) {
    root.querySelectorAll("button, input, textarea, canvas, form").forEach(function (el) {
      if (el.tagName === "FORM" || el.tagName === "CANVAS") el.hidden = true; else el.disabled = true;
    });
    errorBox.hidden = true;
    doneBox.textContent = status === "completed" ? "Done. Thank you." : "You declined this.";
    doneBox.hidden = false;
    setTimeout(function () { window.location.href = root.dataset.homeUrl; }, 1500);
  }

  async function send(decision, data, file) {
    root.dataset.answering = "yes";
    const headers = { "X-CSRFToken": csrf, "Accept": "application/json" };
    let request;
    if (file) {
      const form = new FormData();
      form.append("payload_hash", root.dataset.payloadHash);
      form.append("decision", decision);
      form.append("file", file);
      request = { method: "POST", headers: headers, body: form };
    } else {
      headers["Content-Type"] = "application/json";
      const body = { payload_hash: root.dataset.payloadHash, decision: decision, data: data || {} };
      request = { method: "POST", headers: headers, body: JSON.stringify(body) };
    }
    try {
      const response = await fetch(root.dataset.answerUrl, request);
      const reply = await response.json().catch(function () { return {}; });
      if (response.ok) finished(reply.status);
      else { root.dataset.answering = "no"; fail(reply.detail || "The answer was not accepted."); }
    } catch (e) {
      root.dataset.answering = "no";
      fail("No connection. Check your network and try again.");
    }
  }

  // --- per kind: what "accept" sends -------------------------------------------------
  function secretAnswer() {
    const form = document.getElementById("secret-form");
    const secret = form.elements.secret.value;
    const repeat = form.elements.repeat.value;
    form.elements.secret.value = "";
    form.elements.repeat.value = "";
    if (!secret) throw new Error("Type the new secret twice.");
    if (secret !== repeat) throw new Error("The two entries are not the same. Type them again.");
    const length = parseInt(form.dataset.length || "0", 10);
    if (form.dataset.secretType === "pin" && (secret.length !== length || !/^\d+$/.test(secret))) {
      throw new Error("The PIN must be exactly " + length + " digits.");
    }
    return { secret: secret, repeat: repeat };
  }

  const signature = { method: "drawn", strokes: 0 };
  function setupSignature() {
    const canvas = document.getElementById("sign-canvas");
    const typed = document.getElementById("sign-typed");
    const clear = document.getElementById("sign-clear");
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.strokeStyle = "#1d2433";
    let drawing = false;
    function point(e) {
      const r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (e) {
      drawing = true; canvas.setPointerCapture(e.pointerId);
      const p = point(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      const p = point(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); signature.strokes += 1;
    });
    canvas.addEventListener("pointerup", function () { drawing = false; });
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height); signature.strokes = 0;
    });
    root.querySelectorAll("[data-sign-method]").forEach(function (button) {
      button.addEventListener("click", function () {
        signature.method = button.dataset.signMethod;
        root.querySelectorAll("[data-sign-method]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        const drawn = signature.method === "drawn";
        canvas.hidden = !drawn; clear.hidden = !drawn; typed.hidden = drawn;
      });
    });
  }
  function signAnswer() {
    if (signature.method === "typed") {
      const name = document.querySelector('#sign-typed input').value.trim();
      if (name.length < 2) throw new Error("Type your full name to sign.");
      return { method: "typed", name: name };
    }
    if (signature.strokes < 3) throw new Error("Draw your signature in the box first.");
    return { method: "drawn", image: document.getElementById("sign-canvas").toDataURL("image/png") };
  }

  function uploadFile() {
    const input = document.getElementById("upload-file");
    const file = input.files && input.files[0];
    if (!file) throw new Error("Choose a photo or file first.");
    if (file.size > parseInt(input.dataset.maxBytes, 10)) throw new Error("The file is too large.");
    const accepted = input.accept.split(",");
    if (accepted.indexOf(file.type) < 0) throw new Error("This type of file is not accepted here.");
    return file;
  }

  function codeAnswer() {
    const input = document.getElementById("task-code");
    const code = input.value.replace(/\s+/g, "");
    if (!/^\d+$/.test(code) || code.length !== parseInt(input.dataset.length, 10)) {
      throw new Error("Enter the " + input.dataset.length + "-digit code.");
    }
    return { code: code };
  }

  const rating = { score: 0 };
  function setupRating() {
    root.querySelectorAll("[data-score]").forEach(function (button) {
      button.addEventListener("click", function () {
        rating.score = parseInt(button.dataset.score, 10);
        root.querySelectorAll("[data-score]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(parseInt(b.dataset.score, 10) <= rating.score));
        });
      });
    });
  }
  function ratingAnswer() {
    if (!rating.score) throw new Error("Choose from 1 to 5 stars.");
    return { score: rating.score, comment: document.getElementById("rating-comment").value.trim() };
  }

  const collect = {
    set_secret: secretAnswer, sign: signAnswer, code: codeAnswer, rating: ratingAnswer,
  };
  if (kind === "sign") setupSignature();
  if (kind === "rating") setupRating();
  const secretForm = document.getElementById("secret-form");
  if (secretForm) secretForm.addEventListener("submit", function (e) { e.preventDefault(); });

  root.querySelectorAll("[data-decision]").forEach(function (button) {
    button.addEventListener("click", function () {
      const decision = button.dataset.decision;
      if (decision === "decline") { send("decline", {}); return; }
      try {
        if (kind === "upload") { send("accept", null, uploadFile()); return; }
        send("accept", collect[kind] ? collect[kind]() : {});
      } catch (error) {
        fail(error.message);
      }
    });
  });
})();
