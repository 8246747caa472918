import { describe, expect, it } from 'vitest';
import { isUtf8Form } from '../../../src/server/http/form-body';

describe('form bodies must be UTF-8', () => {
  it('accepts ASCII, UTF-8 raw or percent-encoded, and plus signs', () => {
    expect(isUtf8Form(Buffer.from('a=1&b=two+words&c=%C3%A9t%C3%A9'))).toBe(true);
    expect(isUtf8Form(Buffer.from('name=Bâtisseur'))).toBe(true);
    expect(isUtf8Form(Buffer.from(''))).toBe(true);
  });

  it('refuses raw bytes that are not UTF-8', () => {
    expect(isUtf8Form(Buffer.from([0x61, 0x3d, 0xff, 0xfe]))).toBe(false);
  });

  it('refuses percent-encoded bytes that are not UTF-8, and broken percent-encoding', () => {
    expect(isUtf8Form(Buffer.from('code=%FF%FE'))).toBe(false);
    expect(isUtf8Form(Buffer.from('code=%C3'))).toBe(false);
    expect(isUtf8Form(Buffer.from('code=%zz'))).toBe(false);
  });
});
