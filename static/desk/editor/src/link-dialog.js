// The link dialog: a person, place, source or story of the newsroom chosen by typing
// its name (a link that follows it when its address changes), or an address. A modal
// <dialog>: the page behind it is inert, Escape closes it, and the editor gets the
// focus back with its selection as it was.
import { applyLink, selectedLink } from "./commands.js";
import { element } from "./dom.js";

const SEARCH_DELAY_MS = 200;
let dialogs = 0;

export function linkDialog({ view, searchUrl, address }) {
  dialogs += 1;
  const id = `body-link-${dialogs}`;
  const dialog = element("dialog", { class: "body-link-dialog", "aria-labelledby": `${id}-title` });
  const form = element("form", { method: "dialog" });
  const title = element("h2", { id: `${id}-title` }, "Link");
  const searchLabel = element("label", { for: `${id}-search` }, "Person, place, source or story");
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
    "Type a name, then choose with the arrow keys and Enter.",
  );
  const matches = element("ul", {
    id: `${id}-matches`,
    role: "listbox",
    "aria-label": "Matches",
    class: "body-link-matches",
  });
  matches.hidden = true;
  const status = element("p", { class: "body-link-status", role: "status" });
  const addressLabel = element("label", { for: `${id}-address` }, "Or an address");
  const addressInput = element("input", {
    id: `${id}-address`,
    type: "text",
    inputmode: "url",
    autocomplete: "off",
    "aria-describedby": `${id}-address-help`,
  });
  const addressHelp = element(
    "p",
    { id: `${id}-address-help`, class: "help" },
    "https://…, mailto:… or an address on this site, /…",
  );
  const error = element("p", { id: `${id}-error`, class: "body-link-error" });
  error.hidden = true;
  const buttons = element("div", { class: "body-link-buttons" });
  const submit = element("button", { type: "submit", class: "button default" }, "Link");
  const cancel = element("button", { type: "button", class: "button" }, "Cancel");
  buttons.append(submit, cancel);
  form.append(
    title,
    searchLabel,
    search,
    searchHelp,
    matches,
    status,
    addressLabel,
    addressInput,
    addressHelp,
    error,
    buttons,
  );
  dialog.append(form);
  document.body.append(dialog);

  let found = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function showMatches(results) {
    found = results;
    active = -1;
    matches.replaceChildren(
      ...results.map((result, index) => {
        const option = element("li", {
          id: `${id}-match-${index}`,
          role: "option",
          "aria-selected": "false",
        });
        const kind = element("span", { class: "body-link-kind" }, ` — ${result.label}`);
        option.append(result.name, kind);
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(index));
        return option;
      }),
    );
    matches.hidden = !results.length;
    search.setAttribute("aria-expanded", String(results.length > 0));
    search.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    Array.from(matches.children).forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
    });
    const option = matches.children[index];
    search.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function ask(term) {
    asked += 1;
    const question = asked;
    if (!term) {
      showMatches([]);
      status.textContent = "";
      return;
    }
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
          ? `${count} ${count === 1 ? "match" : "matches"}.`
          : "No person, place, source or story by that name.";
      })
      .catch(() => {
        if (question === asked) {
          showMatches([]);
          status.textContent = "Searching failed; try again, or give an address.";
        }
      });
  }

  function finish(attrs, text) {
    applyLink(view.state, view.dispatch, attrs, text);
    dialog.close();
  }

  function choose(index) {
    const target = found[index];
    finish({ href: target.url, link: `${target.kind}:${target.id}` }, target.name);
  }

  function refuse(message) {
    error.textContent = message;
    error.hidden = false;
    addressInput.setAttribute("aria-invalid", "true");
    addressInput.setAttribute("aria-describedby", `${id}-error ${id}-address-help`);
    addressInput.focus();
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
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const href = addressInput.value.trim();
    if (!href) {
      refuse("Choose a match above, or give an address.");
    } else if (!address.test(href)) {
      refuse(
        "An address starts with https://, http:// or mailto:, or with / for a page of this site.",
      );
    } else {
      finish({ href, link: null }, href);
    }
  });
  // The page behind a modal dialog is inert, but Tab would go on to the browser's own
  // controls: it goes round the dialog instead.
  dialog.addEventListener("keydown", (event) => {
    const stops = [search, addressInput, submit, cancel];
    const [first, last] = [stops[0], stops[stops.length - 1]];
    if (event.key === "Tab" && document.activeElement === (event.shiftKey ? first : last)) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => view.focus());

  return function open() {
    const current = selectedLink(view.state);
    search.value = "";
    addressInput.value = current && !current.mark.attrs.link ? current.mark.attrs.href : "";
    addressInput.removeAttribute("aria-invalid");
    addressInput.setAttribute("aria-describedby", `${id}-address-help`);
    error.hidden = true;
    status.textContent = "";
    showMatches([]);
    dialog.showModal();
    search.focus();
  };
}
