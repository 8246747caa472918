import { hash } from 'node:crypto';

/*
 * SHA-256 of a text's UTF-8 bytes in one call: node:crypto's `hash` (Node 20.12 and later, and every
 * Electron this project supports) makes no Hash object per digest, and takes about half the time of
 * createHash().update().digest() for the short texts the token endpoint hashes several times a request
 * (replay-cache keys, JWK thumbprints, handles, PKCE verifiers).
 */

export const sha256 = (text: string): Buffer => hash('sha256', text, 'buffer');

export const sha256Base64url = (text: string): string => hash('sha256', text, 'base64url');
