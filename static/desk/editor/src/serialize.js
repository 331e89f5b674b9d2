// The editor's document as the stored format, written exactly as bodies.clean writes
// it (blocks on lines of their own, the same escaping, blocks without text left out,
// the spaces at a block's two ends dropped), so that clean() leaves it as it is: the
// desk's merge of two editors' saves finds each paragraph by its HTML.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
// What Python's str.strip() strips, which clean() trims a block's text with.
const SPACE = String.raw`\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const LEADING = new RegExp(`^[${SPACE}]+`);
const TRAILING = new RegExp(`[${SPACE}]+$`);
const VISIBLE = new RegExp(`[^${SPACE}]`);

function escapeText(text) {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]);
}

function escapeAttribute(value) {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function serialize(doc) {
  const blocks = [];
  doc.forEach((block) => {
    const html = serializeBlock(block);
    if (html) {
      blocks.push(html);
    }
  });
  return blocks.join("\n");
}

function serializeBlock(node) {
  switch (node.type.name) {
    case "paragraph":
      return textBlock("p", node);
    case "heading":
      return textBlock("h" + node.attrs.level, node);
    case "blockquote":
      return container(
        node.attrs.pull ? '<blockquote class="pull-quote">' : "<blockquote>",
        "</blockquote>",
        children(node).map((paragraph) => textBlock("p", paragraph)),
      );
    case "bullet_list":
    case "ordered_list": {
      const tag = node.type.name === "bullet_list" ? "ul" : "ol";
      return container(
        `<${tag}>`,
        `</${tag}>`,
        children(node).map((item) => textBlock("li", item.firstChild)),
      );
    }
    case "figure": {
      // Kept without a caption too: it places a picture.
      const caption = textBlock("figcaption", node.firstChild);
      const image = escapeAttribute(node.attrs.image);
      return `<figure data-image="${image}">\n${caption ? caption + "\n" : ""}</figure>`;
    }
    default:
      throw new Error("Not in the body's format: " + node.type.name);
  }
}

function children(node) {
  const list = [];
  node.forEach((child) => list.push(child));
  return list;
}

function container(open, close, parts) {
  const kept = parts.filter(Boolean);
  return kept.length ? `${open}${kept.map((part) => "\n" + part).join("")}\n${close}` : "";
}

function textBlock(tag, node) {
  if (!VISIBLE.test(node.textContent)) {
    return "";
  }
  return `<${tag}>${inline(children(node))}</${tag}>`;
}

function inline(nodes) {
  const last = nodes.length - 1;
  let html = "";
  const open = [];
  nodes.forEach((node, index) => {
    let text = node.isText ? node.text : null;
    // Unmarked text at either end of the block: where clean() trims.
    if (text !== null && !node.marks.length) {
      if (index === 0) {
        text = text.replace(LEADING, "");
      }
      if (index === last) {
        text = text.replace(TRAILING, "");
      }
      if (!text) {
        return;
      }
    }
    let keep = 0;
    while (keep < open.length && keep < node.marks.length && open[keep].eq(node.marks[keep])) {
      keep += 1;
    }
    while (open.length > keep) {
      html += closeTag(open.pop());
    }
    node.marks.slice(keep).forEach((mark) => {
      html += openTag(mark);
      open.push(mark);
    });
    html += text === null ? "<br>" : escapeText(text);
  });
  while (open.length) {
    html += closeTag(open.pop());
  }
  return html;
}

function openTag(mark) {
  if (mark.type.name !== "link") {
    return `<${mark.type.name}>`;
  }
  const { href, link } = mark.attrs;
  return (
    "<a" +
    (href ? ` href="${escapeAttribute(href)}"` : "") +
    (link ? ` data-link="${escapeAttribute(link)}"` : "") +
    ">"
  );
}

function closeTag(mark) {
  return mark.type.name === "link" ? "</a>" : `</${mark.type.name}>`;
}
