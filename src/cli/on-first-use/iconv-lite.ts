/**
 * What the command's bundle gives body-parser and raw-body when they require `iconv-lite`
 * (scripts/build-cli.mjs): the package, loaded on the first call. Both require it as they load; the
 * lab API's JSON parser calls it for its first body. Bundled, its charset tables were a third of the
 * bundle (escaped to ASCII), and V8 keeps a bundle's source for as long as the process runs.
 *
 * Only the functions those packages call.
 */
import { loadOnFirstUse } from './load-on-first-use';

interface Decoder {
  write(bytes: Buffer): string;
  end(): string | undefined;
}

interface IconvLite {
  encodingExists(encoding: string): boolean;
  getDecoder(encoding: string, options?: Record<string, unknown>): Decoder;
  decode(bytes: Buffer, encoding: string, options?: Record<string, unknown>): string;
}

export const iconvLite = loadOnFirstUse<IconvLite>('iconv-lite');

export const encodingExists = (encoding: string): boolean => iconvLite().encodingExists(encoding);
export const getDecoder = (encoding: string, options?: Record<string, unknown>): Decoder =>
  iconvLite().getDecoder(encoding, options);
export const decode = (bytes: Buffer, encoding: string, options?: Record<string, unknown>): string =>
  iconvLite().decode(bytes, encoding, options);
