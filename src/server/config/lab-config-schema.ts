import * as z from 'zod';
import { refuseDuplicateKeys, refuseLookalikeKeys } from '../../common/duplicate-keys';

/**
 * The lab configuration file (JSON). Client entries use the registered client metadata names of
 * RFC 7591 §2, OpenID Connect Dynamic Client Registration 1.0 §2, RFC 9126 §6 and RFC 9449 §5.2;
 * the `server` section uses the authorization server metadata names where one exists (RFC 8414 §2,
 * RFC 9126 §5). Every default is documented where it is declared.
 */

const seconds = (max: number) => z.number().int().positive().max(max);

/** How long a retired signing key stays published (`signing_key_grace`, and `keys rotate --grace`). */
export const SIGNING_KEY_GRACE_SECONDS = { default: 86_400, max: 30 * 86_400 } as const;

/** RFC 6749 Appendix A: VSCHAR = %x20-7E, what a client_id and a client_secret are made of. */
const VSCHARS = /^[\x20-\x7E]*$/;

/** An identifier a person reads in the file and types or copies: whitespace around it is invisible. */
const identifier = z
  .string()
  .min(1)
  .max(255)
  .refine((text) => text.trim() === text, 'must not begin or end with whitespace');

/** Nor control characters, C0, DEL and C1 (\p{Cc}): a terminal or a page showing them acts on them. */
const textIdentifier = identifier
  .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters')
  // A lone surrogate ("\ud800" in the JSON) is no character a form can send: the name could not be typed.
  .refine((text) => text.isWellFormed(), 'must not contain a lone surrogate (\\ud800-\\udfff)');

const jwk = z
  .object({
    kty: z.enum(['RSA', 'EC', 'OKP']),
    kid: z.string().min(1).optional(),
    alg: z.string().optional(),
  })
  .loose();

/** FAPI 2.0 SP §5.4.1: PS256, ES256, EdDSA; RS256 only for the standard profile. */
export const signingAlgorithms = ['PS256', 'ES256', 'EdDSA', 'RS256'] as const;
export const fapiSigningAlgorithms = ['PS256', 'ES256', 'EdDSA'] as const;

export const serverSettingsSchema = z
  .object({
    /** RFC 9126 §5: every client must use PAR. Default false; the `fapi2` profile requires it per client. */
    require_pushed_authorization_requests: z.boolean().default(false),
    /** Seconds. FAPI 2.0 SP §5.3.2.1: at most 60 s. Default 60. */
    authorization_code_lifetime: seconds(600).default(60),
    /** Seconds. RFC 9126 §2.2: `expires_in`; FAPI 2.0 SP §5.3.2.2 (8): under 600 s. Default 60. */
    pushed_authorization_request_lifetime: seconds(599).default(60),
    /** Seconds. Default 600. */
    access_token_lifetime: seconds(86_400).default(600),
    /** Seconds. Default 3600. */
    id_token_lifetime: seconds(86_400).default(3600),
    /** Seconds. Default 14 days. */
    refresh_token_lifetime: seconds(366 * 86_400).default(14 * 86_400),
    /** Seconds a login session lasts. Default 8 hours. */
    session_lifetime: seconds(30 * 86_400).default(8 * 3600),
    /** RFC 9449 §8: require server-provided nonces in DPoP proofs. Default off. */
    dpop_nonce_required: z.boolean().default(false),
    /** Seconds a DPoP proof's `iat` may lie in the past (RFC 9449 §11.1). Default 60. */
    dpop_proof_max_age: seconds(600).default(60),
    /**
     * FAPI 2.0 SP §5.3.2.1 (11): refresh tokens are not rotated. A lab option turns rotation on;
     * the previous token then stays usable for `refresh_token_rotation_grace` seconds.
     */
    refresh_token_rotation: z.boolean().default(false),
    refresh_token_rotation_grace: seconds(300).default(10),
    /** Seconds a retired signing key keeps being published for verification. Default 1 day. */
    signing_key_grace: seconds(SIGNING_KEY_GRACE_SECONDS.max).default(SIGNING_KEY_GRACE_SECONDS.default),
    /** Language of the login, consent and logout pages when the browser does not say: en or fr. */
    ui_locales: z.enum(['en', 'fr']).default('en'),
  })
  .strict();

export const clientSchema = z
  .object({
    /** RFC 6749 Appendix A.1: client-id = *VSCHAR, printable ASCII. Compared exactly (RFC 6749 §2.2). */
    client_id: identifier.regex(VSCHARS, 'printable ASCII characters only (RFC 6749 Appendix A.1)'),
    client_name: z.string().max(255).optional(),
    /**
     * RFC 7591 §2: required for client_secret_post / client_secret_basic. RFC 6749 Appendix A.2:
     * client-secret = *VSCHAR; a client could not send another character the same way in a form
     * body and in Basic credentials (§2.3.1 form-encodes them first).
     */
    client_secret: z
      .string()
      .min(16)
      .max(512)
      .regex(VSCHARS, 'printable ASCII characters only (RFC 6749 Appendix A.2)')
      .optional(),
    redirect_uris: z.array(z.url()).default([]),
    post_logout_redirect_uris: z.array(z.url()).default([]),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
      .min(1)
      .default(['authorization_code']),
    response_types: z.array(z.literal('code')).min(1).default(['code']),
    /** Space-separated scope values the client may request. */
    scope: z.string().default('openid'),
    /** OpenID Connect Dynamic Client Registration §2: `client_secret_basic` by default. */
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'])
      .default('client_secret_basic'),
    token_endpoint_auth_signing_alg: z.enum(signingAlgorithms).optional(),
    /** RFC 7591 §2: the client's public keys (private_key_jwt). */
    jwks: z.object({ keys: z.array(jwk).min(1) }).optional(),
    /** OpenID Connect Dynamic Client Registration §2: RS256 by default; PS256 under `fapi2`. */
    id_token_signed_response_alg: z.enum(signingAlgorithms).optional(),
    /** RFC 9126 §6 */
    require_pushed_authorization_requests: z.boolean().default(false),
    /** RFC 9449 §5.2 */
    dpop_bound_access_tokens: z.boolean().default(false),
    application_type: z.enum(['web', 'native']).default('web'),
    /** Which rule set applies: OpenID Connect (`oidc`) or the FAPI 2.0 Security Profile (`fapi2`). */
    profile: z.enum(['oidc', 'fapi2']).default('oidc'),
    /**
     * Lab-only settings. `generate_keys`: the lab generates this client's key pairs on first start,
     * keeps the private halves in its data directory for the demo client and the scenario runner,
     * and registers the public halves as the client's `jwks` — so no private key lives in a file.
     */
    lab: z
      .object({ generate_keys: z.array(z.enum(fapiSigningAlgorithms)).min(1).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((client, ctx) => {
    const usesSecret =
      client.token_endpoint_auth_method === 'client_secret_basic' ||
      client.token_endpoint_auth_method === 'client_secret_post';
    if (usesSecret && !client.client_secret) {
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: `required for token_endpoint_auth_method ${client.token_endpoint_auth_method}`,
      });
    }
    if (
      client.token_endpoint_auth_method === 'private_key_jwt' &&
      !client.jwks &&
      !client.lab?.generate_keys
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwks'],
        message: 'required for private_key_jwt (or let the lab generate keys with lab.generate_keys)',
      });
    }
    if (client.profile === 'fapi2') {
      // FAPI 2.0 SP §5.3.2.1 (4): confidential clients authenticated with private_key_jwt (or MTLS).
      if (client.token_endpoint_auth_method !== 'private_key_jwt') {
        ctx.addIssue({
          code: 'custom',
          path: ['token_endpoint_auth_method'],
          message: 'the fapi2 profile requires private_key_jwt (FAPI 2.0 SP §5.3.2.1)',
        });
      }
      for (const field of ['token_endpoint_auth_signing_alg', 'id_token_signed_response_alg'] as const) {
        if (client[field] === 'RS256') {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'the fapi2 profile allows only PS256, ES256 or EdDSA (FAPI 2.0 SP §5.4.1)',
          });
        }
      }
    }
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'required for authorization_code' });
    }
    if (client.grant_types.includes('refresh_token') && !client.grant_types.includes('authorization_code')) {
      ctx.addIssue({
        code: 'custom',
        path: ['grant_types'],
        message: 'refresh_token needs authorization_code',
      });
    }
  });

export const userSchema = z
  .object({
    /**
     * Login compares usernames exactly, and typed text comes, nearly always, in NFC: a username in
     * another normalization form (NFD, as copied from a macOS file name) could not be typed.
     */
    username: textIdentifier.refine(
      (text) => text.normalize('NFC') === text,
      'must be in Unicode normalization form NFC',
    ),
    /**
     * Given in clear in the file; hashed with bcrypt when loaded, never stored in clear. At most 72
     * bytes of UTF-8, all that bcrypt reads: a longer one would be checked on its start alone.
     */
    password: z
      .string()
      .min(1)
      .refine((password) => Buffer.byteLength(password, 'utf8') <= 72, {
        message: 'at most 72 bytes in UTF-8 (bcrypt reads no more)',
      }),
    /** The subject identifier, unique among the users; the username when absent. */
    sub: textIdentifier.optional(),
    /** Returned exactly as given (OpenID Connect Core §5.1 claim names). */
    claims: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const labConfigSchema = z
  .object({
    $schema: z.string().optional(),
    server: serverSettingsSchema.default(serverSettingsSchema.parse({})),
    clients: z.array(clientSchema).default([]),
    users: z.array(userSchema).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    refuseDuplicateKeys(ctx, config.clients, 'clients', 'client_id');
    refuseDuplicateKeys(ctx, config.users, 'users', 'username');
    // Distinct where they are compared exactly (a client_id, RFC 6749 §2.2; a username at login), but
    // people confuse them, and the login throttle counts failures per username in lower case.
    refuseLookalikeKeys(ctx, config.clients, 'clients', 'client_id');
    refuseLookalikeKeys(ctx, config.users, 'users', 'username');
    refuseSharedSubs(ctx, config.users);
  });

/**
 * OpenID Connect Core §2: a `sub` is "locally unique and never reassigned within the Issuer". Two users
 * with one sub would be one end-user to every client, their tokens alike. A user without `sub` has
 * its username as sub; two such users with one username are already a duplicate username.
 */
function refuseSharedSubs(ctx: z.RefinementCtx, users: readonly UserConfig[]): void {
  const first = new Map<string, { index: number; subIsUsername: boolean }>();
  users.forEach((user, index) => {
    const subIsUsername = user.sub === undefined;
    const sub = user.sub ?? user.username;
    const seen = first.get(sub);
    if (!seen) first.set(sub, { index, subIsUsername });
    else if (!(subIsUsername && seen.subIsUsername)) {
      ctx.addIssue({
        code: 'custom',
        path: ['users', index, subIsUsername ? 'username' : 'sub'],
        message: subIsUsername
          ? `duplicate sub: with no sub, its username is its sub (also users[${seen.index}])`
          : `duplicate sub (also users[${seen.index}]${seen.subIsUsername ? ', whose username is its sub' : ''})`,
      });
    }
  });
}

export type LabConfig = z.infer<typeof labConfigSchema>;
export type ServerSettings = z.infer<typeof serverSettingsSchema>;
export type ClientConfig = z.infer<typeof clientSchema>;
export type UserConfig = z.infer<typeof userSchema>;
