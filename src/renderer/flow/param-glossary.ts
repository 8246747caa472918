/**
 * One-line notes on the parameters and headers a request carries, shown in presenter mode next to
 * each value before it is sent.
 */
const notes: Record<string, string> = {
  response_type: 'code: the authorization code flow (RFC 6749 §4.1.1; FAPI 2.0 allows only code).',
  client_id: 'Which client is asking (RFC 6749 §2.2).',
  redirect_uri: 'Where the provider sends the browser back; must be registered exactly (RFC 6749 §3.1.2).',
  scope: 'What access is requested (RFC 6749 §3.3); openid asks for an ID token.',
  state: 'Random value echoed back, to tie the response to this browser session (RFC 6749 §10.12).',
  nonce: 'Random value the ID token must carry, against replay (OIDC Core §3.1.2.1).',
  code_challenge:
    'SHA-256 of the secret code_verifier: proves later that the same client redeems the code (RFC 7636 §4.2).',
  code_challenge_method: 'S256: the only method FAPI 2.0 allows (RFC 7636 §4.3).',
  dpop_jkt: 'Thumbprint of the DPoP key: the code will only be redeemable with this key (RFC 9449 §10).',
  request_uri: 'Reference to the pushed request: the browser carries no parameters (RFC 9126 §4).',
  client_assertion_type: 'Says the client authenticates with a signed JWT (RFC 7523 §2.2).',
  client_assertion:
    'JWT signed with the client’s private key: iss = sub = client_id, aud = issuer (RFC 7523 §3).',
  client_secret: 'The shared secret, sent in the body (client_secret_post, RFC 6749 §2.3.1).',
  grant_type: 'Which grant is redeemed (RFC 6749 §4.1.3, §6).',
  code: 'The one-time authorization code from the redirect (RFC 6749 §4.1.2).',
  code_verifier: 'The secret behind code_challenge (RFC 7636 §4.5).',
  refresh_token: 'The long-lived token used to get new access tokens (RFC 6749 §6).',
  token: 'The token to introspect or revoke (RFC 7662 §2.1, RFC 7009 §2.1).',
  token_type_hint: 'What kind of token it is, to speed up the lookup (RFC 7009 §2.1).',
  id_token_hint: 'The ID token, telling the provider whose session ends (RP-Initiated Logout §2).',
  post_logout_redirect_uri: 'Where to return after logout; must be registered (RP-Initiated Logout §3).',
  dpop: 'DPoP proof: a JWT signed by the client’s key for this method and URL (RFC 9449 §4).',
  authorization:
    'The access token (DPoP or Bearer scheme), or client credentials (RFC 9449 §7.1, RFC 6750 §2.1).',
  traceparent: 'W3C Trace Context: lets the lab merge the client’s and the server’s view of this request.',
  'content-type': 'Form-encoded body (RFC 6749 §4.1.3).',
};

export function noteFor(name: string): string | undefined {
  const key = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(notes, key) ? notes[key] : undefined;
}
