import * as z from 'zod';
import { requestStages } from '../context';
import { scenarioCategories } from '../types';
import { builtOnFirstUse } from '../../common/built-on-first-use';
import { refuseDuplicateKeys } from '../../common/duplicate-keys';

export const flows = ['standard', 'fapi2', 'client_credentials'] as const;

/** The requests each base flow makes, in order (the stage to mutate must be one of them). */
export const stagesOfFlow: Record<(typeof flows)[number], readonly (typeof requestStages)[number][]> = {
  standard: ['authorize', 'token', 'userinfo', 'resource', 'refresh', 'introspect', 'revoke'],
  fapi2: ['par', 'authorize', 'token', 'userinfo', 'resource', 'refresh', 'introspect', 'revoke'],
  client_credentials: ['token', 'resource', 'introspect', 'revoke'],
};

const withDpop = new Set(['token', 'userinfo', 'resource', 'refresh']);
const withClientAuth = new Set(['par', 'token', 'refresh', 'introspect', 'revoke']);

/**
 * The user-defined scenario file (docs/scenarios.md): a base flow, the request of it to mutate, the
 * mutations, and what the specs require the provider to answer. Built on first use
 * (built-on-first-use.ts).
 */
export const userScenarioSchemas = builtOnFirstUse(() => {
  const jsonValue: z.ZodType<unknown> = z.json();

  const name = z.string().min(1).max(200);
  /** RFC 9110 §5.1: a field name is a token. */
  const headerName = name.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name (an RFC 9110 §5.1 token)');
  /**
   * RFC 9110 §5.5: visible characters, spaces and tabs, and obs-text (one octet each): what can be sent
   * at all. A line break, a NUL or a character above U+00FF made fetch refuse the request, and the
   * scenario ended as "could not run" instead of at load time.
   */
  const headerValue = z
    .string()
    .max(100_000)
    .regex(
      /^[\t\x20-\x7E\x80-\xFF]*$/,
      'a header value (RFC 9110 §5.5: visible ASCII, spaces, tabs and U+0080–U+00FF only)',
    );

  const mutationSchema = z.union([
    z.object({ setParameter: z.object({ name, value: z.string().max(200_000) }).strict() }).strict(),
    z.object({ removeParameter: name }).strict(),
    z.object({ setHeader: z.object({ name: headerName, value: headerValue }).strict() }).strict(),
    z.object({ removeHeader: headerName }).strict(),
    /** A DPoP proof claim (RFC 9449 §4.2); null removes it. */
    z.object({ setProofClaim: z.object({ name, value: jsonValue }).strict() }).strict(),
    /** A DPoP proof header member (`typ`, `alg`, `jwk`); null removes it. */
    z.object({ setProofHeader: z.object({ name, value: jsonValue }).strict() }).strict(),
    /** A client assertion claim (RFC 7523 §3); null removes it. */
    z.object({ setAssertionClaim: z.object({ name, value: jsonValue }).strict() }).strict(),
    /** Moves the lab clock forward before the request (needs the lab API). */
    z
      .object({
        advanceClock: z
          .number()
          .int()
          .positive()
          .max(366 * 86_400),
      })
      .strict(),
  ]);

  const httpStatus = z.number().int().min(100).max(599);
  const errorCode = z
    .string()
    .regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/, 'an OAuth error code (RFC 6749 §5.2 characters)');

  const expectedSchema = z.union([
    z.object({ success: z.literal(true), status: httpStatus.optional() }).strict(),
    z
      .object({
        status: z.union([httpStatus, z.array(httpStatus).min(1)]),
        error: z.union([errorCode, z.array(errorCode).min(1)]),
      })
      .strict(),
  ]);

  const userScenarioSchema = z
    .object({
      id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id'),
      /** Printed by the CLI and written into JUnit XML: no line break, no terminal escape sequence. */
      title: z
        .string()
        .min(1)
        .max(200)
        .refine((title) => !/\p{Cc}/u.test(title), 'one line without control characters (C0, DEL, C1)'),
      category: z.enum(scenarioCategories).default('hostile-input'),
      description: z.string().max(2000).default(''),
      clause: z.string().max(500).default(''),
      teaching: z.string().max(2000).default(''),
      flow: z.enum(flows),
      request: z.enum(requestStages),
      mutations: z.array(mutationSchema).min(1),
      expected: expectedSchema,
    })
    .strict()
    .superRefine((scenario, ctx) => {
      if (!stagesOfFlow[scenario.flow].includes(scenario.request)) {
        ctx.addIssue({
          code: 'custom',
          path: ['request'],
          message: `the ${scenario.flow} flow has no ${scenario.request} request (it has ${stagesOfFlow[scenario.flow].join(', ')})`,
        });
      }
      scenario.mutations.forEach((mutation, index) => {
        const proof = 'setProofClaim' in mutation || 'setProofHeader' in mutation;
        if (proof && (scenario.flow === 'standard' || !withDpop.has(scenario.request))) {
          ctx.addIssue({
            code: 'custom',
            path: ['mutations', index],
            message: `no DPoP proof is sent with the ${scenario.flow} ${scenario.request} request`,
          });
        }
        if (
          'setAssertionClaim' in mutation &&
          (scenario.flow === 'standard' || !withClientAuth.has(scenario.request))
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['mutations', index],
            message: `no client assertion is sent with the ${scenario.flow} ${scenario.request} request`,
          });
        }
      });
    });

  const userScenarioFileSchema = z
    .object({
      $schema: z.string().optional(),
      scenarios: z.array(userScenarioSchema).min(1),
    })
    .strict()
    .superRefine((file, ctx) => refuseDuplicateKeys(ctx, file.scenarios, 'scenarios', 'id'));

  return {
    mutation: mutationSchema,
    userScenario: userScenarioSchema,
    userScenarioFile: userScenarioFileSchema,
  };
});
type Schemas = ReturnType<typeof userScenarioSchemas>;

export type Mutation = z.infer<Schemas['mutation']>;
export type UserScenario = z.infer<Schemas['userScenario']>;
