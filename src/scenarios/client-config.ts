import * as z from 'zod';
import { builtOnFirstUse } from '../common/built-on-first-use';
import { privateSigningKeyProblem } from './private-signing-key';
import type { ScenarioTarget } from './types';

/**
 * `--client-config FILE` for an external provider (docs/scenarios.md): the clients registered there,
 * with the material to authenticate as them, the users to log in as, and optionally its lab API.
 * Built on first use (see built-on-first-use.ts).
 */
export const clientConfigSchema = builtOnFirstUse(() => {
  const jwk = z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() });

  const client = z
    .object({
      client_id: z.string().min(1),
      token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']),
      client_secret: z.string().optional(),
      private_jwks: z.array(jwk).optional(),
      redirect_uri: z.url().optional(),
      post_logout_redirect_uri: z.url().optional(),
      scope: z.string().optional(),
      require_pushed_authorization_requests: z.boolean().optional(),
      dpop_bound_access_tokens: z.boolean().optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (c.token_endpoint_auth_method === 'private_key_jwt' && !c.private_jwks?.some((k) => 'd' in k)) {
        ctx.addIssue({
          code: 'custom',
          path: ['private_jwks'],
          message: 'private_key_jwt needs at least one private JWK (with d)',
        });
      }
      // The keys sign the client's assertions (the first one; an RSA one the RS256 scenario).
      c.private_jwks?.forEach((key, i) => {
        const problem = privateSigningKeyProblem(key);
        if (problem) ctx.addIssue({ code: 'custom', path: ['private_jwks', i], message: problem });
      });
      if (c.token_endpoint_auth_method !== 'private_key_jwt' && !c.client_secret) {
        ctx.addIssue({
          code: 'custom',
          path: ['client_secret'],
          message: `${c.token_endpoint_auth_method} needs client_secret`,
        });
      }
    });

  return z
    .object({
      clients: z
        .object({ standard: client.optional(), fapi: client.optional(), service: client.optional() })
        .strict(),
      users: z.array(z.object({ username: z.string().min(1), password: z.string() }).strict()).default([]),
      resourceUrl: z.url().optional(),
      lab: z
        .object({ origin: z.url(), secret: z.string().min(1) })
        .strict()
        .optional(),
    })
    .strict();
});

export type ClientConfigFile = z.infer<ReturnType<typeof clientConfigSchema>>;

export function targetFromClientConfig(issuer: string, config: ClientConfigFile): ScenarioTarget {
  return {
    issuer: issuer.replace(/\/$/, ''),
    clients: config.clients as ScenarioTarget['clients'],
    users: config.users,
    ...(config.resourceUrl ? { resourceUrl: config.resourceUrl } : {}),
    ...(config.lab ? { lab: config.lab } : {}),
  };
}
