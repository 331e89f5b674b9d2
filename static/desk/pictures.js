// The desk's pictures: the chooser's preview (articles/admin/widgets.py, PictureChooser),
// the focal-point picker on a picture's form, and the upload page's drop zone. Each works
// without this script: a choice, two number inputs, a file input.
(function () {
  "use strict";

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // The chooser's preview ------------------------------------------------------------
  // The admin's autocomplete (select2) tells of a new choice through jQuery's events only.
  function onChange(select, handler) {
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).on("change", handler);
    } else {
      select.addEventListener("change", handler);
    }
  }

  function showPicture(preview, picture) {
    const parts = [];
    if (picture && picture.thumbnail) {
      parts.push(
        element("img", {
          src: picture.thumbnail.url,
          width: picture.thumbnail.width,
          height: picture.thumbnail.height,
          alt: picture.alt_text,
          loading: "lazy",
          class: "picture-thumbnail",
        })
      );
    }
    const text = element("p", { class: "picture-preview-text" + (picture ? "" : " help") });
    if (!picture) {
      text.textContent = "No picture chosen.";
    } else {
      if (picture.alt_text) {
        text.append(picture.alt_text);
      } else {
        text.append(element("strong", {}, "No alt text yet"), ": describe it before publishing.");
      }
      if (picture.credit_line) {
        text.append(" ", element("span", { class: "picture-credit" }, "(" + picture.credit_line + ")"));
      }
      text.append(" ", element("a", { href: picture.url }, "Describe this picture"));
    }
    parts.push(text);
    preview.replaceChildren.apply(preview, parts);
  }

  document.querySelectorAll("[data-picture-preview]").forEach(function (preview) {
    const select = document.getElementById(preview.dataset.picturePreview);
    if (!select) {
      return;
    }
    let asked = 0;
    onChange(select, function () {
      asked += 1;
      const question = asked;
      if (!select.value) {
        showPicture(preview, null);
        return;
      }
      const url = preview.dataset.choicesUrl + "?" + new URLSearchParams({ id: select.value });
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (question === asked) {
            showPicture(preview, data.results[0] || null);
          }
        })
        .catch(function () {
          if (question === asked) {
            preview.replaceChildren(
              element("p", { class: "picture-preview-text help" }, "The preview failed to load; the choice stands.")
            );
          }
        });
    });
  });

  // The focal-point picker -----------------------------------------------------------
  document.querySelectorAll("[data-focal-picker]").forEach(function (picker) {
    const picture = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const across = document.getElementById("id_focal_x");
    const down = document.getElementById("id_focal_y");
    if (!picture || !marker || !across || !down) {
      return;
    }
    function inside(value) {
      const number = parseFloat(value);
      return Number.isFinite(number) && number >= 0 && number <= 1 ? number : null;
    }
    // Positioned through the style object, which the Content-Security-Policy allows.
    function place() {
      const x = inside(across.value);
      const y = inside(down.value);
      marker.hidden = x === null || y === null;
      if (!marker.hidden) {
        marker.style.left = x * 100 + "%";
        marker.style.top = y * 100 + "%";
      }
    }
    picture.addEventListener("click", function (event) {
      const box = picture.getBoundingClientRect();
      const round = function (value) {
        return String(Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 1000);
      };
      across.value = round((event.clientX - box.left) / box.width);
      down.value = round((event.clientY - box.top) / box.height);
      across.dispatchEvent(new Event("change", { bubbles: true }));
      place();
    });
    picker.classList.add("focal-picker-ready");
    across.addEventListener("input", place);
    down.addEventListener("input", place);
    place();
  });

  // The upload page's drop zone --------------------------------------------------------
  document.querySelectorAll("[data-drop-zone]").forEach(function (zone) {
    const input = zone.querySelector("input[type=file]");
    const chosen = zone.querySelector(".upload-chosen");
    const form = zone.closest("form");
    if (!input || !form) {
      return;
    }
    function tell() {
      const names = Array.from(input.files).map(function (file) {
        return file.name;
      });
      chosen.textContent = names.length
        ? names.length + (names.length === 1 ? " file" : " files") + " chosen: " + names.join(", ")
        : "";
    }
    input.addEventListener("change", tell);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("upload-drop-over");
      });
    });
    ["dragleave", "dragend"].forEach(function (type) {
      zone.addEventListener(type, function () {
        zone.classList.remove("upload-drop-over");
      });
    });
    // Dropped files are uploaded at once, as if chosen and sent.
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("upload-drop-over");
      if (!event.dataTransfer || !event.dataTransfer.files.length) {
        return;
      }
      input.files = event.dataTransfer.files;
      tell();
      chosen.textContent = "Uploading " + chosen.textContent.replace(/^\d+ files? chosen: /, "");
      form.requestSubmit();
    });
  });
})();
