// HTML from outside (a paste, an autosave) before the browser parses it: without the
// scripts, styles and frames bodies.clean drops with their content, and with no
// attribute but the format's own. Parsing happens in an inert document, so nothing
// would run anyway; but the page's Content-Security-Policy still reports every event
// handler and style attribute it meets there, and, blocking style attributes, hides
// the bold and italic that word processors write as styles. A style attribute is
// kept as data-style, where the schema reads bold and italic from its text.
//
// A tag this does not recognise is left to the inert parse and the schema: only the
// console's reports depend on it, not what the body can hold.

// (ProseMirror's parser ignores <noscript> itself, and a regular expression would end it
// where its first attribute quotes "</noscript>".)
const DROPPED = /<(script|style|template|iframe|object)\b[\s\S]*?<\/\1\s*>/gi;
const TAG = /<([a-z][^\s/>]*)((?:[\s/]+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/gi;
const ATTRIBUTE = /([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const KEPT = new Set(["href", "data-link", "data-image", "class"]);

export function withoutInlineCode(html) {
  return html.replace(DROPPED, "").replace(TAG, (tag, name, attributes, selfClosing) => {
    const kept = [];
    for (const [, attribute, double, single, bare] of attributes.matchAll(ATTRIBUTE)) {
      const key = attribute.toLowerCase();
      const value = (double ?? single ?? bare ?? "").replace(/"/g, "&quot;");
      if (KEPT.has(key)) {
        kept.push(` ${key}="${value}"`);
      } else if (key === "style") {
        kept.push(` data-style="${value}"`);
      }
    }
    return `<${name}${kept.join("")}${selfClosing ? " /" : ""}>`;
  });
}
