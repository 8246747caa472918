import { describe, expect, it } from 'vitest';
import { elements, hasNoScript } from './page-markup';

// The page tests lean on these readers; they must catch what they claim to catch.
describe('test markup readers', () => {
  it('detect script elements, event handlers and javascript: URLs', () => {
    expect(hasNoScript('<p>hi</p>')).toBe(true);
    expect(hasNoScript('<script>x</script>')).toBe(false);
    expect(hasNoScript('<p onclick="x">hi</p>')).toBe(false);
    expect(hasNoScript('<input value="" onfocus="x">')).toBe(false);
    expect(hasNoScript('<form action="javascript:x">')).toBe(false);
  });

  it('read escaped attribute values as values, not as attributes', () => {
    const [input] = elements('<input name="a" value="&quot; onfocus=&quot;x">', 'input');
    expect(input).toEqual({ name: 'a', value: '" onfocus="x' });
  });
});
