/**
 * JSON text a user wrote (a configuration, scenario or client file), parsed with an error that says
 * where it stops being JSON without quoting it: V8's own message quotes the text around the error,
 * which in these files may be a secret (`Unexpected token 'T', ..."_secret": TOPSECRET-"...`).
 */
export function parseJsonText(text: string): unknown {
  // RFC 8259 §8.1: a parser MAY ignore a byte order mark; an editor may have written one.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new SyntaxError(jsonSyntaxProblem(json));
  }
}

/** Where `text` stops being JSON, as a line and column (1-based), for a message. */
function jsonSyntaxProblem(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return 'not valid JSON';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return offset >= text.length
    ? `not valid JSON: it ends at line ${line}, column ${column}, before it is complete`
    : `not valid JSON at line ${line}, column ${column}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/**
 * The offset of the first character at which `text` is no longer JSON (RFC 8259), `text.length` when
 * it ends too early, undefined when it is JSON. Iterative: a file may nest thousands of levels.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const containers: ('[' | '{')[] = [];
  let i = 0;
  let expect: 'value' | 'value-or-]' | 'key' | 'key-or-}' | 'colon' | 'after-value' = 'value';

  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  // At a '"': true past the closing quote, false at the character that ends the string wrongly.
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) {
        i++;
        continue;
      }
      const escape = text.charAt(i + 1);
      if (escape === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
      else if (escape !== '' && '"\\/bfnrt'.includes(escape)) i += 2;
      else return false;
    }
    return false;
  };

  for (;;) {
    skipWhitespace();
    if (expect === 'value' || expect === 'value-or-]') {
      const c = text.charAt(i);
      if (expect === 'value-or-]' && c === ']') {
        i++;
        containers.pop();
        expect = 'after-value';
      } else if (c === '{' || c === '[') {
        i++;
        containers.push(c);
        expect = c === '{' ? 'key-or-}' : 'value-or-]';
      } else if (c === '"') {
        if (!string()) return i;
        expect = 'after-value';
      } else if (text.startsWith('true', i) || text.startsWith('null', i) || text.startsWith('false', i)) {
        i += c === 'f' ? 5 : 4;
        expect = 'after-value';
      } else {
        NUMBER.lastIndex = i;
        const number = NUMBER.exec(text);
        if (!number) return i;
        i += number[0].length;
        expect = 'after-value';
      }
    } else if (expect === 'key' || expect === 'key-or-}') {
      if (expect === 'key-or-}' && text.charAt(i) === '}') {
        i++;
        containers.pop();
        expect = 'after-value';
      } else {
        if (text.charAt(i) !== '"' || !string()) return i;
        expect = 'colon';
      }
    } else if (expect === 'colon') {
      if (text.charAt(i) !== ':') return i;
      i++;
      expect = 'value';
    } else {
      const open = containers.at(-1);
      if (open === undefined) return i < text.length ? i : undefined;
      const c = text.charAt(i);
      if (c === ',') {
        i++;
        expect = open === '{' ? 'key' : 'value';
      } else if ((c === ']' && open === '[') || (c === '}' && open === '{')) {
        i++;
        containers.pop();
      } else {
        return i;
      }
    }
  }
}
