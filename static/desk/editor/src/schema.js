// The body's format (articles/bodies.py) as a ProseMirror schema: the editor can hold
// exactly what the stored format allows, and reads anything else (a pasted page, a
// document) as the nearest thing in it. The patterns that check addresses, links and
// pictures come from the server (bodies.py), so they are written down once.
import { Schema } from "prosemirror-model";

// Bold and italic as word processors write them: in a style attribute, which
// withoutInlineCode (inline-code.js) keeps as data-style.
const BOLD = /font-weight\s*:\s*(bold|[6-9]00)/i;
const NOT_BOLD = /font-weight\s*:\s*(normal|[1-4]00)/i;
const ITALIC = /font-style\s*:\s*italic/i;

function styled(pattern) {
  return {
    tag: "span[data-style]",
    getAttrs: (dom) => pattern.test(dom.dataset.style) && null,
    consuming: false, // bold and italic both, from one span
  };
}

export function bodySchema(format) {
  const address = new RegExp(format.href, "i");
  const dataLink = new RegExp(format.link);
  const dataImage = new RegExp(format.image);

  function linkAttrs(dom) {
    const href = (dom.getAttribute("href") || "").trim();
    const link = dom.getAttribute("data-link") || "";
    const attrs = {
      href: address.test(href) ? href : null,
      link: dataLink.test(link) ? link : null,
    };
    return attrs.href || attrs.link ? attrs : false; // not a link the format keeps: its text
  }

  return new Schema({
    nodes: {
      doc: {
        content: "block+",
        // A pasted page's frames go with their content, as in bodies.clean (ProseMirror
        // already drops scripts, styles and objects).
        parseDOM: [{ tag: "iframe", ignore: true }],
      },
      // First of the blocks: what loose text and unknown blocks become.
      paragraph: {
        group: "block",
        content: "inline*",
        parseDOM: [{ tag: "p" }],
        toDOM: () => ["p", 0],
      },
      heading: {
        group: "block",
        content: "inline*",
        attrs: { level: { default: 2 } },
        defining: true,
        // As bodies.SYNONYMS reads them: h1 is a subheading, h4 to h6 minor ones.
        parseDOM: [
          { tag: "h1", attrs: { level: 2 } },
          { tag: "h2", attrs: { level: 2 } },
          { tag: "h3", attrs: { level: 3 } },
          { tag: "h4", attrs: { level: 3 } },
          { tag: "h5", attrs: { level: 3 } },
          { tag: "h6", attrs: { level: 3 } },
        ],
        toDOM: (node) => ["h" + node.attrs.level, 0],
      },
      blockquote: {
        group: "block",
        content: "paragraph+",
        attrs: { pull: { default: false } },
        defining: true,
        parseDOM: [
          {
            tag: "blockquote",
            getAttrs: (dom) => ({ pull: dom.classList.contains("pull-quote") }),
          },
        ],
        toDOM: (node) => ["blockquote", node.attrs.pull ? { class: "pull-quote" } : {}, 0],
      },
      bullet_list: {
        group: "block",
        content: "list_item+",
        parseDOM: [{ tag: "ul" }],
        toDOM: () => ["ul", 0],
      },
      ordered_list: {
        group: "block",
        content: "list_item+",
        parseDOM: [{ tag: "ol" }],
        toDOM: () => ["ol", 0],
      },
      // An item holds one line of inline content in the format; a paragraph inside
      // lets prosemirror-schema-list's commands split, join and lift items.
      list_item: {
        content: "paragraph",
        defining: true,
        parseDOM: [{ tag: "li" }],
        toDOM: () => ["li", 0],
      },
      // A picture from the media library: its box is drawn by the stylesheet
      // ("Picture 12"), only its caption is text.
      figure: {
        group: "block",
        content: "figcaption",
        attrs: { image: {} },
        isolating: true,
        parseDOM: [
          {
            tag: "figure[data-image]",
            getAttrs: (dom) => {
              const image = dom.getAttribute("data-image");
              return dataImage.test(image) ? { image } : false;
            },
          },
        ],
        toDOM: (node) => ["figure", { "data-image": node.attrs.image }, 0],
      },
      figcaption: {
        content: "inline*",
        parseDOM: [{ tag: "figcaption", context: "figure/" }],
        toDOM: () => ["figcaption", 0],
      },
      text: { group: "inline" },
      hard_break: {
        inline: true,
        group: "inline",
        selectable: false,
        parseDOM: [{ tag: "br" }],
        toDOM: () => ["br"],
      },
    },
    // Outermost first: a link wraps the emphasis inside it, so it stays one link.
    marks: {
      link: {
        attrs: { href: { default: null }, link: { default: null } },
        inclusive: false,
        parseDOM: [{ tag: "a", getAttrs: linkAttrs }],
        toDOM: (mark) => ["a", { href: mark.attrs.href, "data-link": mark.attrs.link }, 0],
      },
      em: {
        parseDOM: [{ tag: "em" }, { tag: "i" }, styled(ITALIC)],
        toDOM: () => ["em", 0],
      },
      strong: {
        parseDOM: [
          { tag: "strong" },
          // Google Docs wraps a whole copied document in <b style="font-weight: normal">.
          { tag: "b", getAttrs: (dom) => !NOT_BOLD.test(dom.dataset.style || "") && null },
          styled(BOLD),
        ],
        toDOM: () => ["strong", 0],
      },
    },
  });
}
