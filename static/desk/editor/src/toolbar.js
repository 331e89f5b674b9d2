// The toolbar: real buttons in groups, one stop for Tab (the arrow keys, Home and End move
// along it, Escape goes back to the text), each saying whether it is on (aria-pressed) or
// has nothing to do (aria-disabled) where the cursor is.
import { element } from "./dom.js";

const MAC = /Mac|iPhone|iPad/.test(navigator.platform);

// "Mod-Shift-8" as the keyboard in front of the editor says it: "Ctrl+Shift+8".
function keyLabel(keys) {
  const names = { Mod: MAC ? "Cmd" : "Ctrl", Alt: MAC ? "Option" : "Alt", Shift: "Shift" };
  return keys
    .split("-")
    .map((part) => names[part] || part.toUpperCase())
    .join("+");
}

function name(item) {
  return item.label.replace("…", "");
}

// ``groups``: [group name, [{label, keys, run, pressed(state), enabled(state)}]].
export function toolbar({ groups, label, controls, press, backToText }) {
  const bar = element("div", {
    role: "toolbar",
    "aria-label": label,
    "aria-controls": controls,
    class: "body-editor-toolbar",
  });
  const items = groups.flatMap(([, list]) => list);
  const buttons = [];
  groups.forEach(([groupName, list]) => {
    const group = element("div", { role: "group", "aria-label": groupName });
    list.forEach((item) => {
      const button = element("button", { type: "button", class: "body-editor-button" }, item.label);
      button.tabIndex = buttons.length ? -1 : 0;
      if (item.keys) {
        button.title = `${name(item)} (${keyLabel(item.keys)})`;
      }
      if (item.pressed) {
        button.setAttribute("aria-pressed", "false");
      }
      // A click leaves the focus and the selection in the text.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => {
        if (button.getAttribute("aria-disabled") !== "true") {
          press(item);
        }
      });
      button.addEventListener("focus", () => {
        buttons.forEach((other) => {
          other.tabIndex = other === button ? 0 : -1;
        });
      });
      item.button = button;
      buttons.push(button);
      group.append(button);
    });
    bar.append(group);
  });
  bar.addEventListener("keydown", (event) => {
    const current = buttons.indexOf(document.activeElement);
    const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: -1 };
    if (Object.hasOwn(moves, event.key)) {
      event.preventDefault();
      buttons[(moves[event.key] + buttons.length) % buttons.length].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      backToText();
    }
  });

  return {
    element: bar,
    focus: () => buttons.find((button) => button.tabIndex === 0).focus(),
    update(state) {
      items.forEach((item) => {
        if (item.pressed) {
          item.button.setAttribute("aria-pressed", String(item.pressed(state)));
        }
        if (item.enabled) {
          item.button.setAttribute("aria-disabled", String(!item.enabled(state)));
        }
      });
    },
    help: (...more) =>
      "Keys: " +
      items
        .filter((item) => item.keys)
        .map((item) => `${keyLabel(item.keys)} ${name(item).toLowerCase()}`)
        .concat(more)
        .join(", ") +
      ".",
  };
}
