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

/**
 * The longest diagram source Mermaid draws (its `maxTextSize`, 50,000 characters by default): past
 * it, Mermaid draws a diagram that only says "Maximum text size in diagram exceeded". About a
 * thousand exchanges, fewer with long labels.
 */
export const MERMAID_MAX_TEXT = 50_000;
