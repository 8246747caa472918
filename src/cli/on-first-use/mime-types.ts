/**
 * What the command's bundle gives Express, send, type-is and accepts when they require `mime-types`
 * (scripts/build-cli.mjs): the package, with its database of some 2,500 media types (mime-db),
 * loaded on the first call. All four require it as they load, so every start-up built its maps —
 * about 10 ms of CPU and 0.6 MB of heap — although the provider names the content type of its own
 * answers, and looks one up only for the lab UI's files and Express's own helpers.
 *
 * Only the functions those packages call; one that read `types` or `extensions` would need them added.
 */
import { loadOnFirstUse } from './load-on-first-use';

interface MimeTypes {
  lookup(path: string): string | false;
  contentType(type: string): string | false;
  extension(type: string): string | false;
  charset(type: string): string | false;
}

export const mimeTypes = loadOnFirstUse<MimeTypes>('mime-types');

export const lookup = (path: string): string | false => mimeTypes().lookup(path);
export const contentType = (type: string): string | false => mimeTypes().contentType(type);
export const extension = (type: string): string | false => mimeTypes().extension(type);
export const charset = (type: string): string | false => mimeTypes().charset(type);
