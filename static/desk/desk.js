// The editors' desk: the admin's autocompletes named for screen readers on every form
// and, in the story's change form, who else has the story open and an autosave of what
// is being typed (configured by the server, #desk-config).
(function () {
  "use strict";

  // The admin's autocompletes (select2) are named by their labels, for screen readers:
  // select2 names a single choice by the choice shown alone, so an empty one has no name,
  // and leaves the search box of a multiple choice unnamed. It builds them after this script
  // runs, again for each row a formset adds, and redraws them on each choice: hence the
  // observer.
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      const widget = select.nextElementSibling;
      if (!label || !widget || !widget.classList.contains("select2")) {
        return;
      }
      label.id = label.id || select.id + "-label";
      const name = label.textContent.replace(/:\s*$/, "").trim();
      widget.querySelectorAll(".select2-selection--single").forEach(function (box) {
        const shown = box.getAttribute("aria-labelledby") || "";
        if (shown.split(" ").indexOf(label.id) === -1) {
          box.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
        }
        // The choice shown is read as the box's value ("×Ganja", with the clear button's
        // mouse-only "×"): as plain text, hiding the "×", it reads "Dateline: Ganja".
        box.querySelectorAll(".select2-selection__rendered").forEach(function (choice) {
          choice.removeAttribute("role");
          choice.removeAttribute("aria-readonly");
        });
        box.querySelectorAll(".select2-selection__clear").forEach(function (clear) {
          clear.setAttribute("aria-hidden", "true");
        });
      });
      widget.querySelectorAll(".select2-search__field").forEach(function (search) {
        search.setAttribute("aria-label", name);
      });
    });
  }
  new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
  nameAutocompletes();

  const configElement = document.getElementById("desk-config");
  const form = document.getElementById("article_form");
  if (!configElement || !form) {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const versionInput = form.querySelector("[name=opened_version]");
  let submitting = false;

  function post(url, fields) {
    const body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function beacon(url, fields) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken);
    Object.keys(fields).forEach(function (name) {
      body.append(name, fields[name]);
    });
    navigator.sendBeacon(url, body);
  }

  // Presence ---------------------------------------------------------------
  const presence = document.getElementById("presence");

  function showPresence(data) {
    const messages = [];
    if (data.others.length) {
      messages.push(
        "Also open by: " + data.others.map(function (other) { return other.name; }).join(", ")
      );
    }
    if (versionInput && versionInput.value && String(data.version) !== versionInput.value) {
      messages.push("Someone saved this story after you opened it; saving will show their changes.");
    }
    presence.textContent = messages.join(" ");
    presence.hidden = messages.length === 0;
  }

  function heartbeat() {
    post(config.presence_url, {}).then(showPresence).catch(function () {});
  }

  if (config.presence_url) {
    heartbeat();
    window.setInterval(heartbeat, config.heartbeat_seconds * 1000);
    window.addEventListener("pagehide", function () {
      beacon(config.leave_url, {});
    });
  }

  // Autosave -----------------------------------------------------------------
  const status = document.getElementById("autosave-status");

  function typed() {
    const fields = {};
    config.autosaved_fields.forEach(function (name) {
      const field = form.elements.namedItem(name);
      if (field) {
        fields[name] = field.value;
      }
    });
    return fields;
  }

  let lastSaved = JSON.stringify(typed());

  function autosave() {
    const fields = typed();
    const serialized = JSON.stringify(fields);
    if (serialized === lastSaved || submitting) {
      return;
    }
    if (versionInput && versionInput.value) {
      fields.version = versionInput.value;
    }
    post(config.autosave_url, fields)
      .then(function (data) {
        lastSaved = serialized;
        status.textContent = "Unsaved changes autosaved at " + data.saved_at + ".";
      })
      .catch(function () {
        status.textContent = "Autosave failed; save the story to keep your changes.";
      });
  }

  window.setInterval(autosave, config.autosave_seconds * 1000);
  form.addEventListener("submit", function () {
    submitting = true;
  });

  // Offer to restore what was typed before a crash or a closed tab.
  const offer = document.getElementById("autosave-offer");
  if (config.autosave) {
    document.getElementById("autosave-offer-text").textContent =
      "You have unsaved changes from " + config.autosave.saved_at + ".";
    offer.hidden = false;
    document.getElementById("autosave-restore").addEventListener("click", function () {
      Object.keys(config.autosave.fields).forEach(function (name) {
        const field = form.elements.namedItem(name);
        if (field) {
          field.value = config.autosave.fields[name];
          // As typing would: the body editor (static/desk/editor/) shows the restored body.
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      offer.hidden = true;
      status.textContent = "Unsaved changes restored; save the story to keep them.";
    });
    document.getElementById("autosave-discard").addEventListener("click", function () {
      post(config.discard_url, {}).catch(function () {});
      offer.hidden = true;
    });
  }

  // Headline length: Google shows a NewsArticle headline up to 110 characters.
  const headline = form.elements.namedItem("headline");
  if (headline) {
    const count = document.createElement("span");
    count.id = "headline-count";
    count.setAttribute("aria-live", "polite");
    headline.setAttribute("aria-describedby", "headline-count");
    headline.insertAdjacentElement("afterend", count);
    const showCount = function () {
      const length = headline.value.length;
      const tooLong = length > config.headline_limit;
      count.textContent =
        length + " characters" +
        (tooLong ? ": search engines show only the first " + config.headline_limit + "." : "");
      count.classList.toggle("desk-too-long", tooLong);
    };
    headline.addEventListener("input", showCount);
    showCount();
  }
})();
