// The editors' desk in the change form: who else has the story open, and an
// autosave of what is being typed. Configured by the server (#desk-config).
(function () {
  "use strict";

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
