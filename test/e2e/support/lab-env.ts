/** Environment variables through which the global setup hands the running lab to the tests. */
export const LAB_ENV = {
  labUrl: 'TRUSTY_LAB_E2E_LAB_URL',
  issuer: 'TRUSTY_LAB_E2E_ISSUER',
} as const;

export function labUrl(): string {
  const url = process.env[LAB_ENV.labUrl];
  if (!url) throw new Error('the global setup did not start the lab');
  return url;
}

export function issuer(): string {
  const value = process.env[LAB_ENV.issuer];
  if (!value) throw new Error('the global setup did not report the issuer');
  return value;
}

export function labSecret(): string {
  const secret = new URLSearchParams(new URL(labUrl()).hash.slice(1)).get('secret');
  if (!secret) throw new Error('the lab URL carries no secret');
  return secret;
}
