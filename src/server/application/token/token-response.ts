/** RFC 6749 §5.1, OpenID Connect Core §3.1.3.3, RFC 9449 §5 (token_type DPoP). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'DPoP' | 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
}
