import { redactPasswordField, redactSessionCookie } from './redact-user-secrets';
import * as z from 'zod';
import { builtOnFirstUse } from '../../common/built-on-first-use';
import type { ClientExchangeReport } from '../../common/lab-api';
import { labEventSchemas, type Exchange } from '../../common/lab-events';
import { exchangeTo } from './classify-exchange';
import { newEventId } from './event-ids';

/**
 * The demo client's report of a request it sent (lab-api.ts ClientExchangeReport), validated on
 * arrival. Built on first use, like the lab event schemas.
 */
export const clientExchangeReportSchema = builtOnFirstUse(() => {
  const headers = z.record(z.string().max(200), z.string().max(16 * 1024));
  const body = z
    .string()
    .max(1024 * 1024)
    .nullable();
  return z.object({
    traceId: z.string().regex(/^[0-9a-f]{32}$/),
    spanId: z.string().regex(/^[0-9a-f]{16}$/),
    label: z.string().min(1).max(200),
    method: z.string().regex(/^[A-Z]{1,16}$/),
    url: z.url().max(8192),
    requestHeaders: headers,
    requestBody: body,
    status: z.number().int().min(100).max(599).nullable(),
    responseHeaders: headers,
    responseBody: body,
    startedAt: labEventSchemas().exchange.shape.startedAt,
    durationMs: z.number().finite().min(0),
    transportError: z.string().max(2000).optional(),
  }) satisfies z.ZodType<ClientExchangeReport>;
});

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
};

const redactCookies = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      /^(set-)?cookie$/i.test(name) ? redactSessionCookie(value) : value,
    ]),
  );

/** The client's view as an Exchange (observer `client`); the UI merges it with the server's by traceId + spanId. */
export function clientExchange(report: ClientExchangeReport): Exchange {
  return {
    type: 'exchange',
    id: newEventId(),
    traceId: report.traceId,
    spanId: report.spanId,
    observer: 'client',
    from: 'client',
    to: exchangeTo(pathOf(report.url)),
    label: report.label,
    method: report.method,
    url: report.url,
    requestHeaders: redactCookies(report.requestHeaders),
    requestBody: report.requestBody === null ? null : redactPasswordField(report.requestBody),
    status: report.status,
    responseHeaders: redactCookies(report.responseHeaders),
    responseBody: report.responseBody,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    jwts: [],
    checks: [],
    ...(report.transportError === undefined ? {} : { transportError: report.transportError }),
  };
}
