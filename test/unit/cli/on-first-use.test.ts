import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as iconvStandIn from '../../../src/cli/on-first-use/iconv-lite';
import * as mimeStandIn from '../../../src/cli/on-first-use/mime-types';
import * as qsStandIn from '../../../src/cli/on-first-use/qs';

// The packages themselves, to compare the stand-ins' answers with.
const requireHere = createRequire(import.meta.url);

describe('the stand-ins the command bundle has in place of packages it loads on first use', () => {
  it('mime-types: loaded by the first call, then answering as the package does', () => {
    const mime = requireHere('mime-types') as typeof mimeStandIn;
    expect(mimeStandIn.mimeTypes.built).toBe(false);
    expect(mimeStandIn.contentType('html')).toBe('text/html; charset=utf-8');
    expect(mimeStandIn.mimeTypes.built).toBe(true);
    for (const path of ['index.html', 'app.js', 'style.css', 'font.woff2', 'x.unknown-type']) {
      expect(mimeStandIn.lookup(path), path).toBe(mime.lookup(path));
    }
    expect(mimeStandIn.contentType('application/jwk-set+json')).toBe(
      mime.contentType('application/jwk-set+json'),
    );
    expect(mimeStandIn.extension('image/svg+xml')).toBe('svg');
    expect(mimeStandIn.charset('text/plain')).toBe('UTF-8');
  });

  it('qs: loaded by the first call, then parsing as the package does (nested keys, arrays)', () => {
    expect(qsStandIn.qs.built).toBe(false);
    expect(qsStandIn.parse('a[b]=1&c=2&c=3', { depth: 5 })).toEqual({ a: { b: '1' }, c: ['2', '3'] });
    expect(qsStandIn.qs.built).toBe(true);
  });

  it('iconv-lite: loaded by the first call, then decoding as the package does', () => {
    expect(iconvStandIn.iconvLite.built).toBe(false);
    expect(iconvStandIn.encodingExists('utf-8')).toBe(true);
    expect(iconvStandIn.iconvLite.built).toBe(true);
    expect(iconvStandIn.encodingExists('x-no-such-charset')).toBe(false);
    expect(iconvStandIn.decode(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'latin1')).toBe('café');
    // A character split between two chunks is decoded whole, as raw-body relies on.
    const decoder = iconvStandIn.getDecoder('utf-8');
    const bytes = Buffer.from('é!');
    expect(
      decoder.write(bytes.subarray(0, 1)) + decoder.write(bytes.subarray(1)) + (decoder.end() ?? ''),
    ).toBe('é!');
    // A double-byte charset: its table is loaded from the package when first needed.
    expect(iconvStandIn.decode(Buffer.from([0x82, 0xa0]), 'shift_jis')).toBe('あ');
  });
});
