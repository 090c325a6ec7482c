/* Co-browsing a shared form. Both sides see each other's typing. A field marked private is
   typed only on the customer's phone: while they type only its length is sent, and staff see
   that many dots; its value goes to the bank once, when the customer sends the form. */
(function () {
  "use strict";

  function LiveCobrowse(container, options) {
    this.container = container;
    this.side = options.side;            // "staff" or "customer"
    this.send = options.send;            // function(change)
    this.submit = options.submit;        // customer side: function(privateValues) -> Promise
    this.inputs = {};
    this.form = null;
  }

  LiveCobrowse.prototype.render = function (form) {
    var self = this;
    self.form = form;
    self.inputs = {};
    self.container.textContent = "";
    if (!form) { return; }
    var title = document.createElement("h3");
    title.textContent = form.title;
    self.container.appendChild(title);
    var status = document.createElement("p");
    status.className = "live-form-status";
    status.setAttribute("data-testid", "form-status");
    self.container.appendChild(status);
    form.fields.forEach(function (field) { self._field(field, form.values[field.name] || ""); });
    if (self.side === "customer" && self.submit) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "m-primary";
      button.textContent = "Send to the bank";
      button.setAttribute("data-testid", "send-form");
      button.addEventListener("click", function () {
        var privateValues = {};
        form.fields.forEach(function (field) {
          if (field.private) { privateValues[field.name] = self.inputs[field.name].value; }
        });
        button.disabled = true;
        self.submit(privateValues).then(function () { button.disabled = false; });
      });
      self.container.appendChild(button);
      self.sendButton = button;
    }
    self.setConsent(form.consent);
  };

  LiveCobrowse.prototype._field = function (field, value) {
    var self = this;
    var label = document.createElement("label");
    var caption = document.createElement("span");
    caption.textContent = field.label + (field.private ? " (private)" : "");
    var input = document.createElement("input");
    input.name = field.name;
    input.setAttribute("data-field", field.name);
    input.autocomplete = "off";
    if (field.private) {
      input.type = self.side === "customer" ? "password" : "text";
      input.readOnly = self.side !== "customer";
      input.className = "live-private";
      if (self.side === "staff") { input.value = value; }
      // After a reload the phone no longer holds the private text: clear the staff's dots.
      if (self.side === "customer" && value && self.form.consent === true) {
        self.send({ field: field.name, length: 0 });
      }
    } else {
      input.type = field.kind === "email" || field.kind === "tel" ? field.kind : "text";
      input.maxLength = 200;
      input.value = value;
    }
    input.addEventListener("input", function () {
      if (field.private) {
        if (self.side === "customer") { self.send({ field: field.name, length: input.value.length }); }
        return;
      }
      self.send({ field: field.name, value: input.value });
    });
    label.appendChild(caption);
    label.appendChild(input);
    self.container.appendChild(label);
    self.inputs[field.name] = input;
  };

  LiveCobrowse.prototype.setConsent = function (granted) {
    if (!this.form) { return; }
    this.form.consent = granted;
    var status = this.container.querySelector(".live-form-status");
    var open = granted === true;
    if (status) {
      status.textContent = open ? "Shared: both sides see the typing." :
        (granted === false ? "The customer declined co-browsing." : "Waiting for the customer's consent…");
    }
    Object.keys(this.inputs).forEach(function (name) {
      this.inputs[name].disabled = !open;
    }, this);
    if (this.sendButton) { this.sendButton.disabled = !open; }
  };

  LiveCobrowse.prototype.apply = function (change) {
    var input = this.inputs[change.field];
    if (!input || change.by === this.side) { return; }
    if (change.private && this.side === "customer") { return; }
    input.value = change.value;
  };

  window.LiveCobrowse = LiveCobrowse;
})();
