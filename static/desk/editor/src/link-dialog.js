// The link dialog: a person, place, source or story of the newsroom chosen by typing
// its name (a link that follows it when its address changes), or an address. A modal
// <dialog>: the page behind it is inert, Escape closes it, and the editor gets the
// focus back with its selection as it was.
import { applyLink, selectedLink } from "./commands.js";
import { element } from "./dom.js";
import { searchList } from "./search-list.js";

let dialogs = 0;

export function linkDialog({ view, searchUrl, address }) {
  dialogs += 1;
  const id = `body-link-${dialogs}`;
  const dialog = element("dialog", { class: "body-link-dialog", "aria-labelledby": `${id}-title` });
  const form = element("form", { method: "dialog" });
  const title = element("h2", { id: `${id}-title` }, "Link");
  const list = searchList({
    id,
    label: "Person, place, source or story",
    help: "Type a name, then choose with the arrow keys and Enter.",
    listLabel: "Matches",
    listClass: "body-link-matches",
    searchUrl,
    option: (result) => {
      const item = element("li");
      item.append(result.name, element("span", { class: "body-link-kind" }, ` — ${result.label}`));
      return item;
    },
    told: {
      empty: false,
      found: (count) =>
        count
          ? `${count} ${count === 1 ? "match" : "matches"}.`
          : "No person, place, source or story by that name.",
      failed: "Searching failed; try again, or give an address.",
    },
  });
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
    ...list.elements,
    addressLabel,
    addressInput,
    addressHelp,
    error,
    buttons,
  );
  dialog.append(form);
  document.body.append(dialog);

  function finish(attrs, text) {
    applyLink(view.state, view.dispatch, attrs, text);
    dialog.close();
  }

  list.onChoose = (target) => {
    finish({ href: target.url, link: `${target.kind}:${target.id}` }, target.name);
  };

  function refuse(message) {
    error.textContent = message;
    error.hidden = false;
    addressInput.setAttribute("aria-invalid", "true");
    addressInput.setAttribute("aria-describedby", `${id}-error ${id}-address-help`);
    addressInput.focus();
  }

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
    const stops = [list.search, addressInput, submit, cancel];
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
    list.clear();
    addressInput.value = current && !current.mark.attrs.link ? current.mark.attrs.href : "";
    addressInput.removeAttribute("aria-invalid");
    addressInput.setAttribute("aria-describedby", `${id}-address-help`);
    error.hidden = true;
    dialog.showModal();
    list.search.focus();
  };
}
