// The picture dialog: a picture from the media library, found by its alt text, caption,
// credit or agency (the newest first when nothing is typed), placed in the body as a
// figure with its caption and credit, which the editor may then edit. A modal <dialog>
// like the link dialog: the arrow keys and Enter choose, Escape closes, and the editor
// gets the focus back.
import { insertFigure } from "./commands.js";
import { element } from "./dom.js";
import { searchList } from "./search-list.js";

let dialogs = 0;

function option(picture) {
  const item = element("li", { class: "body-picture-match" });
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
  return item;
}

export function pictureDialog({ view, searchUrl }) {
  dialogs += 1;
  const id = `body-picture-${dialogs}`;
  const dialog = element("dialog", {
    class: "body-link-dialog body-picture-dialog",
    "aria-labelledby": `${id}-title`,
  });
  const form = element("form", { method: "dialog" });
  const title = element("h2", { id: `${id}-title` }, "Picture");
  const list = searchList({
    id,
    label: "Search the picture library",
    help: "Alt text, caption, credit or agency; choose with the arrow keys and Enter.",
    listLabel: "Pictures",
    listClass: "body-link-matches body-picture-matches",
    searchUrl,
    option,
    told: {
      empty: true,
      found: (count, term) =>
        count
          ? `${count} ${count === 1 ? "picture" : "pictures"}${term ? "" : ", the newest"}.`
          : "No picture in the library matches.",
      failed: "Searching the library failed; try again.",
      notChosen: "Choose a picture with the arrow keys, then press Enter.",
    },
  });
  const buttons = element("div", { class: "body-link-buttons" });
  const cancel = element("button", { type: "button", class: "button" }, "Cancel");
  buttons.append(cancel);
  form.append(title, ...list.elements, buttons);
  dialog.append(form);
  document.body.append(dialog);

  list.onChoose = (picture) => {
    dialog.close();
    insertFigure(view.state, view.dispatch, picture.id, picture.caption);
  };
  form.addEventListener("submit", (event) => event.preventDefault());
  // Tab goes round the dialog's two stops, not on to the browser's own controls.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      (document.activeElement === list.search ? cancel : list.search).focus();
    }
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => view.focus());

  return function open() {
    list.clear();
    dialog.showModal();
    list.search.focus();
    list.ask("");
  };
}
