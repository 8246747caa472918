/**
 * Makes text safe as a Mermaid sequence-diagram message or note: `;` and `#` would start a new
 * statement or an entity, `%%` a comment, `<` `>` `"` `{` `}` markup, and a newline ends the
 * message. Each becomes a Mermaid entity code (`#59;`). Shared by the Markdown export and the UI.
 */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#;%<>"{}]/g, (c) => `#${c.charCodeAt(0)};`)
    .trim();
}
