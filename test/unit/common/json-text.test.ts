import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, parseJsonText } from '../../../src/common/json-text';

describe('parseJsonText', () => {
  it('parses JSON, and ignores a byte order mark (RFC 8259 §8.1)', () => {
    expect(parseJsonText('{"a":[1,-2.5e3,true,null,"\\u00e9\\n"]}')).toEqual({
      a: [1, -2500, true, null, 'é\n'],
    });
    expect(parseJsonText('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it('says where the text stops being JSON, without quoting it', () => {
    const text = '{\n  "client_secret": TOPSECRET-123\n}';
    expect(() => parseJsonText(text)).toThrow('not valid JSON at line 2, column 20');
    try {
      parseJsonText(text);
    } catch (e) {
      expect((e as Error).message).not.toMatch(/TOPSECRET|SECRET|client_secret/);
    }
    expect(() => parseJsonText('{"password": "hunt')).toThrow(
      'not valid JSON: it ends at line 1, column 19, before it is complete',
    );
  });
});

describe('jsonErrorOffset', () => {
  it('finds no error in JSON, including deep nesting', () => {
    for (const text of [
      '0',
      ' "x" ',
      '[]',
      '{}',
      '[1,[2,{"a":{}}]]',
      '-0.5E+2',
      '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    ]) {
      expect(jsonErrorOffset(text), text).toBeUndefined();
    }
    expect(jsonErrorOffset('['.repeat(10_000) + ']'.repeat(10_000))).toBeUndefined();
  });

  it('agrees with JSON.parse on what is not JSON, and points at the first wrong character', () => {
    const cases: [string, number][] = [
      ['', 0],
      ['{', 1],
      ['{"a":1,}', 7],
      ['{"a" 1}', 5],
      ['[1,]', 3],
      ['[1] 2', 4],
      ['{"a":"x\ny"}', 7],
      ['"\\x"', 1],
      ['"\\u12G4"', 1],
      ["{'a':1}", 1],
      ['01', 1],
      ['tru', 0],
      ['[1 2]', 3],
      ['{"a":1]', 6],
      ['"abc', 4],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(jsonErrorOffset(text), text).toBe(offset);
    }
  });
});
