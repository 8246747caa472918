import { randomBytes } from 'node:crypto';
import { sha256Base64url } from './sha256';

/**
 * Handles handed to clients (codes, refresh tokens, request_uris, session ids). FAPI 2.0 SP §5.3.2.1:
 * at least 128 bits of entropy; we use 256. They are stored only as their SHA-256 (DESIGN.md,
 * "Security defaults"), so a copy of the database grants nothing.
 */
export const newHandle = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** The stored form of a handle: base64url(SHA-256(handle)). */
export const hashHandle = (handle: string): string => sha256Base64url(handle);
