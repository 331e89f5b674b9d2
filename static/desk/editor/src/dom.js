// An element with its attributes and text, made without parsing any markup.
export function element(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, value));
  node.textContent = text;
  return node;
}
