// The desk's body editor: the body's textarea (articles/admin/widgets.py, BodyEditor)
// becomes a toolbar and an editing area. The textarea stays in the form, hidden, and
// holds the body's HTML in the stored format after every change, so saving, autosave,
// presence and the merge of two editors' saves read it as they always did; setting
// its value and sending it an "input" event (desk.js's restore) loads that value.
//
// No input rules: wire copy is typed and pasted as it is, so "1. " or "* " at the start
// of a line stay characters; the buttons and the shortcuts do the formatting.
import { baseKeymap, toggleMark } from "prosemirror-commands";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { DOMParser as SchemaParser } from "prosemirror-model";
import { splitListItem } from "prosemirror-schema-list";
import { EditorState } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import "prosemirror-view/style/prosemirror.css";
import "./editor.css";

import { insertLineBreak, isBlockActive, removeLink, setBlocks } from "./commands.js";
import { element } from "./dom.js";
import { withoutInlineCode } from "./inline-code.js";
import { linkDialog } from "./link-dialog.js";
import { pictureDialog } from "./picture-dialog.js";
import { bodySchema } from "./schema.js";
import { serialize } from "./serialize.js";
import { paragraphsDoc, paragraphsSlice } from "./text.js";
import { toolbar } from "./toolbar.js";

function toolbarButtons(schema, openLink, openPicture) {
  const block = (name) => ({
    run: setBlocks(name),
    pressed: (state) => isBlockActive(state, name),
  });
  const mark = (type) => ({
    run: toggleMark(type),
    pressed: (state) => {
      const { from, to, empty, $from } = state.selection;
      return empty
        ? Boolean(type.isInSet(state.storedMarks || $from.marks()))
        : state.doc.rangeHasMark(from, to, type);
    },
  });
  return [
    [
      "Blocks",
      [
        { label: "Paragraph", keys: "Mod-Alt-0", run: setBlocks("paragraph") },
        { label: "Subheading", keys: "Mod-Alt-2", ...block("subheading") },
        { label: "Minor subheading", keys: "Mod-Alt-3", ...block("minorSubheading") },
      ],
    ],
    [
      "Emphasis",
      [
        { label: "Bold", keys: "Mod-b", ...mark(schema.marks.strong) },
        { label: "Italic", keys: "Mod-i", ...mark(schema.marks.em) },
      ],
    ],
    [
      "Quotes and lists",
      [
        { label: "Block quote", keys: "Mod-Shift-b", ...block("quote") },
        { label: "Pull quote", ...block("pullQuote") },
        { label: "Bulleted list", keys: "Mod-Shift-8", ...block("bulletList") },
        { label: "Numbered list", keys: "Mod-Shift-7", ...block("orderedList") },
      ],
    ],
    [
      "Links",
      [
        { label: "Link…", keys: "Mod-k", run: openLink },
        { label: "Remove link", run: removeLink, enabled: removeLink },
      ],
    ],
    ["Pictures", [{ label: "Picture…", keys: "Mod-Alt-p", run: openPicture }]],
    [
      "History",
      [
        { label: "Undo", keys: "Mod-z", run: undo, enabled: undo },
        { label: "Redo", keys: "Mod-y", run: redo, enabled: redo },
      ],
    ],
  ];
}

function mount(textarea) {
  const format = JSON.parse(textarea.dataset.bodyEditor);
  const schema = bodySchema(format);
  const parser = SchemaParser.fromSchema(schema);
  const markup = new RegExp(format.markup);

  // As bodies.clean reads a body: markup, or plain text to make paragraphs of.
  function parse(value) {
    if (!markup.test(value)) {
      return paragraphsDoc(schema, value);
    }
    // An inert document: nothing in it loads or runs.
    const html = new window.DOMParser().parseFromString(withoutInlineCode(value), "text/html");
    return parser.parse(html.body, { preserveWhitespace: true });
  }

  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) {
    label.id = `${textarea.id}_label`;
  }
  const wrapper = element("div", { class: "body-editor" });
  const area = element("div", { class: "body-editor-area" });
  const keys = element("p", { id: `${textarea.id}_keys`, class: "help body-editor-keys" });

  let view = null;
  const openLink = (state, dispatch) => {
    if (dispatch) {
      showLinkDialog();
    }
    return true;
  };
  const openPicture = (state, dispatch) => {
    if (dispatch) {
      showPictureDialog();
    }
    return true;
  };
  const groups = toolbarButtons(schema, openLink, openPicture);
  const bar = toolbar({
    groups,
    label: "Body formatting",
    controls: `${textarea.id}_editor`,
    press: (item) => {
      item.run(view.state, view.dispatch, view);
      if (item.run !== openLink && item.run !== openPicture) {
        view.focus();
      }
    },
    backToText: () => view.focus(),
  });
  keys.textContent = bar.help(
    "Shift+Enter line break",
    "Alt+F10 to the toolbar, Escape back to the text",
  );
  wrapper.append(bar.element, area, keys);

  const bindings = {
    Enter: splitListItem(schema.nodes.list_item),
    "Shift-Enter": insertLineBreak,
    "Shift-Mod-z": redo,
    "Alt-F10": () => {
      bar.focus();
      return true;
    },
  };
  groups
    .flatMap(([, items]) => items)
    .filter((item) => item.keys)
    .forEach((item) => {
      bindings[item.keys] = item.run;
    });

  const describedBy = [textarea.getAttribute("aria-describedby"), keys.id].filter(Boolean);
  view = new EditorView(area, {
    state: EditorState.create({
      doc: parse(textarea.value),
      plugins: [history(), keymap(bindings), keymap(baseKeymap)],
    }),
    attributes: {
      id: `${textarea.id}_editor`,
      role: "textbox",
      "aria-multiline": "true",
      ...(label ? { "aria-labelledby": label.id } : {}),
      "aria-describedby": describedBy.join(" "),
      class: "body-editor-text",
    },
    clipboardTextParser: (text) => paragraphsSlice(schema, text),
    transformPastedHTML: withoutInlineCode,
    dispatchTransaction(transaction) {
      const state = view.state.apply(transaction);
      view.updateState(state);
      if (transaction.docChanged) {
        textarea.value = serialize(state.doc);
      }
      bar.update(state);
    },
  });
  const showLinkDialog = linkDialog({
    view,
    searchUrl: textarea.dataset.linkTargets,
    address: new RegExp(format.href, "i"),
  });
  const showPictureDialog = pictureDialog({ view, searchUrl: textarea.dataset.pictureChoices });
  bar.update(view.state);

  textarea.hidden = true;
  textarea.after(wrapper);
  if (label) {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      view.focus();
    });
  }
  textarea.addEventListener("input", () => {
    const doc = parse(textarea.value);
    view.dispatch(view.state.tr.replaceWith(0, view.state.doc.content.size, doc.content));
  });
}

document.querySelectorAll("textarea[data-body-editor]").forEach(mount);
