// Plain text as the newsroom reads it (articles/text.py): paragraphs separated by blank
// lines, a single line break inside one a wrap, and nothing else. Wire copy stays
// exact: "1994. The war ended." is not a list, "*", "_" and "#" are characters and an
// address is text, as bodies.from_plain_text stores it.
import { Fragment, Slice } from "prosemirror-model";

// text.ODD_SPACES: what looks like a space or a line break to an editor.
const ODD_SPACES = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const ODD_BREAKS = /[\v\f\u0085\u2028]/g;
const INVISIBLE = /[\u200b\u2060\ufeff]/g;

function paragraphs(text) {
  const normal = text
    .replace(/\r\n?/g, "\n")
    .replace(ODD_SPACES, " ")
    .replace(ODD_BREAKS, "\n")
    .replace(/\u2029/g, "\n\n")
    .replace(INVISIBLE, "");
  return normal
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .split(/\n{2,}/)
    .map((block) => block.split(/\s+/).filter(Boolean).join(" "))
    .filter(Boolean);
}

function paragraphNodes(schema, text) {
  return paragraphs(text).map((paragraph) =>
    schema.nodes.paragraph.create(null, schema.text(paragraph)),
  );
}

export function paragraphsDoc(schema, text) {
  const blocks = paragraphNodes(schema, text);
  return blocks.length ? schema.nodes.doc.create(null, blocks) : schema.nodes.doc.createAndFill();
}

// For pasting: the paragraphs open at both ends, so the first and last join the
// paragraph (heading, item) the text is pasted into.
export function paragraphsSlice(schema, text) {
  const blocks = paragraphNodes(schema, text);
  return blocks.length ? new Slice(Fragment.from(blocks), 1, 1) : Slice.empty;
}
