import type { Exchange } from '../../common/lab-events';

/**
 * What an arrow of the diagram says about its exchange, from best to worst. 2xx and 3xx are
 * healthy (a 303 is how the authorization endpoint answers); a failed server check is shown even
 * when the status looks fine, because that is exactly what a trainer wants to point at.
 */
export type Outcome =
  'ok' | 'redirect' | 'pending' | 'client_error' | 'server_error' | 'check_failed' | 'transport_error';

/** The colour family of an outcome: one CSS class each. */
export type Tone = 'ok' | 'neutral' | 'error' | 'failed-check';

export function outcomeOf(exchange: Pick<Exchange, 'status' | 'checks' | 'transportError'>): Outcome {
  if (exchange.transportError !== undefined) return 'transport_error';
  if (exchange.checks.some((c) => c.outcome === 'failed')) return 'check_failed';
  const status = exchange.status;
  if (status === null) return 'pending';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  if (status >= 300) return 'redirect';
  return 'ok';
}

export function toneOf(outcome: Outcome): Tone {
  switch (outcome) {
    case 'ok':
    case 'redirect':
      return 'ok';
    case 'pending':
      return 'neutral';
    case 'check_failed':
      return 'failed-check';
    case 'client_error':
    case 'server_error':
    case 'transport_error':
      return 'error';
  }
}

export function outcomeLabel(outcome: Outcome): string {
  switch (outcome) {
    case 'ok':
      return 'succeeded';
    case 'redirect':
      return 'redirected';
    case 'pending':
      return 'no response yet';
    case 'client_error':
      return 'rejected (4xx)';
    case 'server_error':
      return 'server error (5xx)';
    case 'check_failed':
      return 'a server check failed';
    case 'transport_error':
      return 'network error';
  }
}
