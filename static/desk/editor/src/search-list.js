// A search box over a list of matches, as the link and picture dialogs use it: a
// combobox whose typing asks the desk's JSON endpoint (the latest question wins), a
// listbox the arrow keys walk and Enter chooses from, and a status line screen readers
// hear. The dialog around it decides what a match looks like and what choosing does.
import { element } from "./dom.js";

const SEARCH_DELAY_MS = 200;

export function searchList({ id, label, help, listLabel, listClass, searchUrl, option, told }) {
  const searchLabel = element("label", { for: `${id}-search` }, label);
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
  const searchHelp = element("p", { id: `${id}-search-help`, class: "help" }, help);
  const matches = element("ul", {
    id: `${id}-matches`,
    role: "listbox",
    "aria-label": listLabel,
    class: listClass,
  });
  matches.hidden = true;
  const status = element("p", { class: "body-link-status", role: "status" });

  const list = {
    elements: [searchLabel, search, searchHelp, matches, status],
    search,
    status,
    found: [],
    active: -1,
    onChoose: () => {},
    ask,
    show,
    clear() {
      search.value = "";
      status.textContent = "";
      show([]);
    },
  };
  let timer = null;
  let asked = 0;

  function show(results) {
    list.found = results;
    list.active = -1;
    matches.replaceChildren(
      ...results.map((result, index) => {
        const item = option(result);
        item.id = `${id}-match-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => list.onChoose(result));
        return item;
      }),
    );
    matches.hidden = !results.length;
    search.setAttribute("aria-expanded", String(results.length > 0));
    search.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    list.active = index;
    Array.from(matches.children).forEach((item, i) => {
      item.setAttribute("aria-selected", String(i === index));
    });
    const item = matches.children[index];
    search.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  // An empty term asks nothing, unless told.empty: then the endpoint says what to offer.
  function ask(term) {
    asked += 1;
    const question = asked;
    if (!term && !told.empty) {
      show([]);
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
        show(data.results);
        status.textContent = told.found(data.results.length, term);
      })
      .catch(() => {
        if (question === asked) {
          show([]);
          status.textContent = told.failed;
        }
      });
  }

  search.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => ask(search.value.trim()), SEARCH_DELAY_MS);
  });
  search.addEventListener("keydown", (event) => {
    const count = list.found.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      highlight((list.active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      highlight((list.active - 1 + count) % count);
    } else if (event.key === "Enter" && list.active >= 0) {
      event.preventDefault();
      list.onChoose(list.found[list.active]);
    } else if (event.key === "Enter" && told.notChosen) {
      event.preventDefault();
      if (count) {
        status.textContent = told.notChosen;
      }
    }
  });
  return list;
}
