/**
 * The `WWW-Authenticate: DPoP` challenge of a resource server (RFC 9449 §7.1): the error, a description
 * and the algorithms it accepts. Quoted-string values (RFC 9110 §5.6.4) cannot carry `"` or `\` unescaped,
 * and RFC 6750 §3 limits error_description to printable ASCII, so anything else is replaced.
 */
export function dpopWwwAuthenticate(
  error: string | undefined,
  description: string | undefined,
  algs: readonly string[],
): string {
  const params: string[] = [];
  if (error !== undefined) params.push(`error="${quotable(error)}"`);
  if (error !== undefined && description !== undefined)
    params.push(`error_description="${quotable(description)}"`);
  params.push(`algs="${algs.map(quotable).join(' ')}"`);
  return `DPoP ${params.join(', ')}`;
}

const quotable = (value: string): string => value.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
