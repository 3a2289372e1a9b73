// The field report form keeps its draft on the phone and sends it when the
// signal returns. Without this script the form is a plain POST.
//
// The draft (text fields and the draft id) lives in localStorage under the
// officer's id, so it survives a closed tab or a lost connection. A report
// submitted without a connection is marked pending and sent on the
// "online" event (and retried now and then); the server keeps one report
// per draft id, so a resend never makes a second one. The photo cannot be
// kept in localStorage: it is resent only while the page stays open.
// Every text shown comes from the form's data-text-* attributes.
(function () {
  "use strict";

  var RETRY_MS = 30000;
  var form = document.querySelector("form[data-field-draft]");
  if (!form || !window.fetch || !window.FormData) return;

  var status = document.querySelector("[data-testid=draft-status]");
  var storageKey = "lk3.fieldDraft." + form.getAttribute("data-draft-owner");
  var keyInput = form.querySelector("input[name=draft_key]");
  var button = form.querySelector("button[type=submit]");
  var pendingData = null;
  var sending = false;
  var retryTimer = null;

  function text(name) {
    return form.getAttribute("data-text-" + name) || "";
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function textFields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrfmiddlewaretoken" &&
        element.name !== "draft_key" && element.type !== "file" &&
        element.type !== "submit" && element.type !== "button";
    });
  }

  function readDraft() {
    var store = storage();
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeDraft(pending) {
    var store = storage();
    if (!store) return;
    var fields = {};
    textFields().forEach(function (element) {
      fields[element.name] = element.value;
    });
    var draft = { key: keyInput.value, fields: fields, pending: Boolean(pending) };
    try {
      store.setItem(storageKey, JSON.stringify(draft));
    } catch (error) {
      // A full storage only loses the offline copy; the form still works.
    }
  }

  function clearDraft() {
    var store = storage();
    if (store) store.removeItem(storageKey);
  }

  function show(message, kind) {
    if (!status) return;
    status.textContent = message;
    status.className = "message message-" + (kind || "warning");
    status.hidden = !message;
  }

  function restore() {
    var draft = readDraft();
    if (!draft || !draft.key) return false;
    keyInput.value = draft.key;
    textFields().forEach(function (element) {
      if (Object.prototype.hasOwnProperty.call(draft.fields || {}, element.name)) {
        element.value = draft.fields[element.name];
      }
    });
    return Boolean(draft.pending);
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function clearErrors() {
    form.querySelectorAll(".errorlist[data-js-error]").forEach(function (list) {
      list.remove();
    });
    var box = form.querySelector("[data-form-errors]");
    if (box) {
      box.hidden = true;
      box.querySelector("ul").textContent = "";
    }
  }

  function errorList(messages) {
    var list = document.createElement("ul");
    list.className = "errorlist";
    list.setAttribute("data-js-error", "");
    messages.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    });
    return list;
  }

  function showErrors(errors) {
    clearErrors();
    var box = form.querySelector("[data-form-errors]");
    Object.keys(errors).forEach(function (name) {
      var element = form.elements.namedItem(name);
      var row = element && element.closest ? element.closest(".form-row") : null;
      if (row) {
        row.appendChild(errorList(errors[name]));
      } else if (box) {
        errors[name].forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          box.querySelector("ul").appendChild(item);
        });
        box.hidden = false;
      }
    });
    show(text("check"), "error");
  }

  function scheduleRetry() {
    if (retryTimer === null) {
      retryTimer = window.setInterval(function () {
        if (navigator.onLine) send();
      }, RETRY_MS);
    }
  }

  function keepPending(message) {
    writeDraft(true);
    show(message, "warning");
    button.disabled = false;
    scheduleRetry();
  }

  function formData() {
    if (pendingData) return pendingData;
    var data = new FormData(form);
    // A draft restored after a reload has no photo input value to send.
    var photo = data.get("photo");
    if (photo && typeof photo !== "string" && photo.size === 0) data.delete("photo");
    return data;
  }

  function send() {
    if (sending) return;
    var data = formData();
    data.set("draft_key", keyInput.value);
    data.set("csrfmiddlewaretoken", csrfToken());
    pendingData = data;
    if (!navigator.onLine) {
      keepPending(text("offline"));
      return;
    }
    sending = true;
    button.disabled = true;
    show(text("sending"), "info");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Field-Draft": "1", "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {
        // The session ended or a proxy answered: the plain form takes over
        // (the draft stays on the phone until a send succeeds).
        if (response.status >= 500) throw new Error("server");
        clearPending();
        HTMLFormElement.prototype.submit.call(form);
        return null;
      }
      return response.json().then(function (body) {
        if (response.ok && body.url) {
          clearDraft();
          clearPending();
          window.location.assign(body.url);
          return;
        }
        if (response.status >= 500) throw new Error("server");
        pendingData = null;
        writeDraft(false);
        button.disabled = false;
        showErrors(body.errors || {});
      });
    }).catch(function () {
      keepPending(navigator.onLine ? text("failed") : text("offline"));
    }).then(function () {
      sending = false;
    });
  }

  function clearPending() {
    pendingData = null;
    if (retryTimer !== null) {
      window.clearInterval(retryTimer);
      retryTimer = null;
    }
  }

  var wasPending = restore();
  if (wasPending) {
    show(text("offline"), "warning");
    if (navigator.onLine) send(); else scheduleRetry();
  } else if (readDraft()) {
    show(text("restored"), "info");
  }

  form.addEventListener("input", function () {
    writeDraft(pendingData !== null);
  });
  form.addEventListener("change", function () {
    writeDraft(pendingData !== null);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearPending();
    writeDraft(false);
    send();
  });
  window.addEventListener("online", function () {
    if (pendingData !== null || (readDraft() || {}).pending) send();
  });
})();
