// The picture dialog: a picture from the media library, found by its alt text, caption,
// credit or agency (the newest first when nothing is typed), placed in the body as a
// figure with its caption and credit, which the editor may then edit. A modal <dialog>
// like the link dialog: the arrow keys and Enter choose, Escape closes, and the editor
// gets the focus back.
import { insertFigure } from "./commands.js";
import { element } from "./dom.js";

const SEARCH_DELAY_MS = 200;
let dialogs = 0;

export function pictureDialog({ view, searchUrl }) {
  dialogs += 1;
  const id = `body-picture-${dialogs}`;
  const dialog = element("dialog", {
    class: "body-link-dialog body-picture-dialog",
    "aria-labelledby": `${id}-title`,
  });
  const form = element("form", { method: "dialog" });
  const title = element("h2", { id: `${id}-title` }, "Picture");
  const searchLabel = element("label", { for: `${id}-search` }, "Search the picture library");
  const search = element("input", {
    id: `${id}-search`,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": `${id}-matches`,
    "aria-describedby": `${id}-search-help`,
  });
  const searchHelp = element(
    "p",
    { id: `${id}-search-help`, class: "help" },
    "Alt text, caption, credit or agency; choose with the arrow keys and Enter.",
  );
  const matches = element("ul", {
    id: `${id}-matches`,
    role: "listbox",
    "aria-label": "Pictures",
    class: "body-link-matches body-picture-matches",
  });
  matches.hidden = true;
  const status = element("p", { class: "body-link-status", role: "status" });
  const buttons = element("div", { class: "body-link-buttons" });
  const cancel = element("button", { type: "button", class: "button" }, "Cancel");
  buttons.append(cancel);
  form.append(title, searchLabel, search, searchHelp, matches, status, buttons);
  dialog.append(form);
  document.body.append(dialog);

  let found = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function option(picture, index) {
    const item = element("li", {
      id: `${id}-match-${index}`,
      role: "option",
      "aria-selected": "false",
      class: "body-picture-match",
    });
    if (picture.thumbnail) {
      // The option is named by its text: the thumbnail only shows it.
      item.append(
        element("img", {
          src: picture.thumbnail.url,
          width: picture.thumbnail.width,
          height: picture.thumbnail.height,
          alt: "",
          loading: "lazy",
        }),
      );
    }
    const text = element("span", { class: "body-picture-text" }, picture.label);
    const described = picture.alt_text ? "" : " — no alt text yet";
    text.append(element("span", { class: "body-link-kind" }, ` (picture ${picture.id})${described}`));
    item.append(text);
    item.addEventListener("mousedown", (event) => event.preventDefault());
    item.addEventListener("click", () => choose(index));
    return item;
  }

  function showMatches(results) {
    found = results;
    active = -1;
    matches.replaceChildren(...results.map(option));
    matches.hidden = !results.length;
    search.setAttribute("aria-expanded", String(results.length > 0));
    search.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    Array.from(matches.children).forEach((item, i) => {
      item.setAttribute("aria-selected", String(i === index));
    });
    const item = matches.children[index];
    search.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  function ask(term) {
    asked += 1;
    const question = asked;
    fetch(`${searchUrl}?${new URLSearchParams({ term })}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`HTTP ${response.status}`);
        }
        return response.json();
      })
      .then((data) => {
        if (question !== asked) {
          return; // an answer to what was typed before
        }
        showMatches(data.results);
        const count = data.results.length;
        status.textContent = count
          ? `${count} ${count === 1 ? "picture" : "pictures"}${term ? "" : ", the newest"}.`
          : "No picture in the library matches.";
      })
      .catch(() => {
        if (question === asked) {
          showMatches([]);
          status.textContent = "Searching the library failed; try again.";
        }
      });
  }

  function choose(index) {
    const picture = found[index];
    dialog.close();
    insertFigure(view.state, view.dispatch, picture.id, picture.caption);
  }

  search.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => ask(search.value.trim()), SEARCH_DELAY_MS);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && found.length) {
      event.preventDefault();
      highlight((active + 1) % found.length);
    } else if (event.key === "ArrowUp" && found.length) {
      event.preventDefault();
      highlight((active - 1 + found.length) % found.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0) {
        choose(active);
      } else {
        status.textContent = found.length
          ? "Choose a picture with the arrow keys, then press Enter."
          : status.textContent;
      }
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  // Tab goes round the dialog's two stops, not on to the browser's own controls.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      (document.activeElement === search ? cancel : search).focus();
    }
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => view.focus());

  return function open() {
    search.value = "";
    status.textContent = "";
    showMatches([]);
    dialog.showModal();
    search.focus();
    ask("");
  };
}
