// What the toolbar's buttons and the keyboard shortcuts do.
//
// The format's blocks are flat: a line of text is a paragraph, a subheading, a
// paragraph of a quote or an item of a list, and none nests in another. So a block
// command takes the lines the selection touches, whatever they are now, and makes
// them all the one kind asked for: a run of items becomes a quote, a paragraph
// becomes an item of the list just before it. Pressed again, it turns them back
// into paragraphs.
import { TextSelection } from "prosemirror-state";
import { Fragment } from "prosemirror-model";

const BLOCKS = {
  paragraph: { kind: "paragraph" },
  subheading: { kind: "heading", level: 2 },
  minorSubheading: { kind: "heading", level: 3 },
  quote: { kind: "blockquote", pull: false },
  pullQuote: { kind: "blockquote", pull: true },
  bulletList: { kind: "bullet_list" },
  orderedList: { kind: "ordered_list" },
};

// The kind of line a textblock is: what its place in the document makes it.
function lineKind(textblock, container) {
  if (!container) {
    return textblock.type.name === "heading"
      ? { kind: "heading", level: textblock.attrs.level }
      : { kind: "paragraph" };
  }
  if (container.type.name === "blockquote") {
    return { kind: "blockquote", pull: container.attrs.pull };
  }
  return { kind: container.type.name };
}

function sameKind(a, b) {
  return a.kind === b.kind && a.level === b.level && a.pull === b.pull;
}

// The top-level blocks the selection touches, and in each the lines it touches.
function touched(state) {
  const { doc, selection } = state;
  const { from, to } = selection;
  const first = doc.resolve(from).index(0);
  const last = Math.max(first, Math.min(doc.resolve(to).index(0), doc.childCount - 1));
  const blocks = [];
  doc.forEach((block, pos, index) => {
    if (index < first || index > last) {
      return;
    }
    const entry = { block, pos, before: [], lines: [], after: [] };
    if (block.isTextblock) {
      entry.lines.push({ node: block, pos: pos + 1, kind: lineKind(block, null) });
    } else if (block.type.name !== "figure") {
      block.forEach((child, childOffset) => {
        const start = pos + 1 + childOffset;
        const textblock = child.isTextblock ? child : child.firstChild;
        const textStart = child.isTextblock ? start + 1 : start + 2;
        const end = start + child.nodeSize;
        if (end <= from) {
          entry.before.push(child);
        } else if (start >= to && entry.lines.length) {
          entry.after.push(child);
        } else {
          entry.lines.push({ node: textblock, pos: textStart, kind: lineKind(textblock, block) });
        }
      });
    }
    blocks.push(entry);
  });
  return blocks;
}

export function isBlockActive(state, name) {
  const lines = touched(state).flatMap((entry) => entry.lines);
  return lines.length > 0 && lines.every((line) => sameKind(line.kind, BLOCKS[name]));
}

function makeLine(schema, target, content) {
  if (target.kind === "heading") {
    return schema.nodes.heading.create({ level: target.level }, content);
  }
  const paragraph = schema.nodes.paragraph.create(null, content);
  return target.kind === "bullet_list" || target.kind === "ordered_list"
    ? schema.nodes.list_item.create(null, paragraph)
    : paragraph;
}

function makeBlocks(schema, target, lines) {
  if (target.kind === "paragraph" || target.kind === "heading") {
    return lines;
  }
  const attrs = target.kind === "blockquote" ? { pull: target.pull } : null;
  return [schema.nodes[target.kind].create(attrs, lines)];
}

// Adjacent lists of one kind, or quotes of one kind, are one.
function joinNeighbours(blocks) {
  const joined = [];
  blocks.forEach((block) => {
    const previous = joined[joined.length - 1];
    if (
      previous &&
      !block.isTextblock &&
      block.type.name !== "figure" &&
      previous.sameMarkup(block)
    ) {
      joined[joined.length - 1] = previous.copy(previous.content.append(block.content));
    } else {
      joined.push(block);
    }
  });
  return joined;
}

export function setBlocks(name) {
  return function (state, dispatch) {
    const schema = state.schema;
    const entries = touched(state);
    const lines = entries.flatMap((entry) => entry.lines);
    if (!lines.length) {
      return false; // a picture's caption, say
    }
    let target = BLOCKS[name];
    if (lines.every((line) => sameKind(line.kind, target))) {
      if (target.kind === "paragraph") {
        return false;
      }
      target = BLOCKS.paragraph; // pressed again: back to paragraphs
    }
    if (!dispatch) {
      return true;
    }
    const made = new Map(); // each line's new textblock, to put the selection back in
    const blocks = [];
    let run = [];
    const flush = () => {
      if (run.length) {
        blocks.push(...makeBlocks(schema, target, run));
        run = [];
      }
    };
    entries.forEach((entry) => {
      if (!entry.lines.length) {
        flush();
        blocks.push(entry.block); // a picture stays where it is
        return;
      }
      if (entry.before.length) {
        flush();
        blocks.push(entry.block.copy(Fragment.from(entry.before)));
      }
      entry.lines.forEach((line) => {
        const node = makeLine(schema, target, line.node.content);
        made.set(line, node.isTextblock ? node : node.firstChild);
        run.push(node);
      });
      if (entry.after.length) {
        flush();
        blocks.push(entry.block.copy(Fragment.from(entry.after)));
      }
    });
    flush();
    // The blocks on either side, to join a new item to the list beside it.
    const first = entries[0];
    const last = entries[entries.length - 1];
    let from = first.pos;
    let to = last.pos + last.block.nodeSize;
    const $from = state.doc.resolve(from);
    const $to = state.doc.resolve(to);
    if ($from.nodeBefore) {
      blocks.unshift($from.nodeBefore);
      from -= $from.nodeBefore.nodeSize;
    }
    if ($to.nodeAfter) {
      blocks.push($to.nodeAfter);
      to += $to.nodeAfter.nodeSize;
    }
    const tr = state.tr.replaceWith(from, to, joinNeighbours(blocks));
    dispatch(tr.setSelection(selectionAfter(tr, state.selection, lines, made)).scrollIntoView());
    return true;
  };
}

// The selection on the same text as before, in the lines' new blocks.
function selectionAfter(tr, selection, lines, made) {
  const found = new Map();
  tr.doc.descendants((node, pos) => {
    lines.forEach((line) => {
      if (made.get(line) === node) {
        found.set(line, pos + 1);
      }
    });
    return !node.isTextblock;
  });
  const place = (pos) => {
    const line = lines.find((l) => pos >= l.pos && pos <= l.pos + l.node.content.size);
    return line && found.has(line) ? found.get(line) + (pos - line.pos) : null;
  };
  const anchor = place(selection.anchor);
  const head = place(selection.head);
  if (anchor === null || head === null) {
    return TextSelection.near(tr.doc.resolve(found.values().next().value || 0));
  }
  return TextSelection.create(tr.doc, anchor, head);
}

// Links ----------------------------------------------------------------------------------

// Where the link at ``pos`` starts and ends: the run of text carrying the same link mark.
function linkRange(state, pos) {
  const type = state.schema.marks.link;
  const $pos = state.doc.resolve(pos);
  const parent = $pos.parent;
  const start = $pos.start();
  let index = $pos.index();
  let child = parent.maybeChild(index);
  let mark = child && type.isInSet(child.marks);
  if (!mark && index > 0) {
    index -= 1; // at the end of a link
    child = parent.child(index);
    mark = type.isInSet(child.marks);
  }
  if (!mark) {
    return null;
  }
  let first = index;
  let last = index;
  while (first > 0 && mark.isInSet(parent.child(first - 1).marks)) {
    first -= 1;
  }
  while (last < parent.childCount - 1 && mark.isInSet(parent.child(last + 1).marks)) {
    last += 1;
  }
  let from = start;
  for (let i = 0; i < first; i += 1) {
    from += parent.child(i).nodeSize;
  }
  let to = from;
  for (let i = first; i <= last; i += 1) {
    to += parent.child(i).nodeSize;
  }
  return { from, to, mark };
}

export function selectedLink(state) {
  const { from, to, empty } = state.selection;
  const type = state.schema.marks.link;
  if (empty) {
    return linkRange(state, from);
  }
  let found = null;
  state.doc.nodesBetween(from, to, (node, pos) => {
    if (!found && type.isInSet(node.marks)) {
      found = linkRange(state, Math.max(pos, from));
    }
  });
  return found;
}

export function removeLink(state, dispatch) {
  const type = state.schema.marks.link;
  const { from, to, empty } = state.selection;
  const range = empty ? linkRange(state, from) : null;
  if (empty && !range) {
    return false;
  }
  if (!empty && !state.doc.rangeHasMark(from, to, type)) {
    return false;
  }
  if (dispatch) {
    const [start, end] = range ? [range.from, range.to] : [from, to];
    dispatch(state.tr.removeMark(start, end, type).scrollIntoView());
  }
  return true;
}

// The link a dialog chose: over the selected text, over the whole link the cursor is
// in, or, with nothing selected, as new text (the entity's name, or the address).
export function applyLink(state, dispatch, attrs, text) {
  const type = state.schema.marks.link;
  const mark = type.create(attrs);
  let { from, to, empty } = state.selection;
  const tr = state.tr;
  if (empty) {
    const range = linkRange(state, from);
    if (range) {
      ({ from, to } = range);
    } else {
      tr.insertText(text, from);
      to = from + text.length;
    }
  }
  tr.removeMark(from, to, type).addMark(from, to, mark);
  tr.setSelection(TextSelection.create(tr.doc, to));
  dispatch(tr.scrollIntoView());
  return true;
}

export function insertLineBreak(state, dispatch) {
  if (dispatch) {
    const lineBreak = state.schema.nodes.hard_break.create();
    dispatch(state.tr.replaceSelectionWith(lineBreak).scrollIntoView());
  }
  return true;
}

// Pictures -------------------------------------------------------------------------------

// A picture from the library as a figure with ``caption``, after the block the cursor is
// in (in place of it, if it is an empty paragraph), and the cursor in the block after it.
export function insertFigure(state, dispatch, image, caption) {
  const { schema } = state;
  const text = caption ? schema.text(caption) : null;
  const figure = schema.nodes.figure.create(
    { image: String(image) },
    schema.nodes.figcaption.create(null, text),
  );
  // The top-level block the selection starts in (or, a picture selected, that picture).
  const { $from } = state.selection;
  const [block, start] = $from.depth
    ? [$from.node(1), $from.before(1)]
    : $from.nodeAfter
      ? [$from.nodeAfter, $from.pos]
      : [$from.nodeBefore, $from.pos - $from.nodeBefore.nodeSize];
  const end = start + block.nodeSize;
  const empty = block.type.name === "paragraph" && block.content.size === 0;
  const tr = empty ? state.tr.replaceWith(start, end, figure) : state.tr.insert(end, figure);
  const after = (empty ? start : end) + figure.nodeSize;
  if (!tr.doc.resolve(after).nodeAfter?.isTextblock) {
    tr.insert(after, schema.nodes.paragraph.create());
  }
  tr.setSelection(TextSelection.near(tr.doc.resolve(after + 1)));
  dispatch(tr.scrollIntoView());
  return true;
}
