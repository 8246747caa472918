/** An HTTP request as the use cases see it: no express, so they can be tested without a server. */
export interface EndpointRequest {
  readonly method: string;
  /** The absolute URL the client addressed (the issuer's origin + path + query): DPoP `htu` is checked against it. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed form body (application/x-www-form-urlencoded), or undefined. */
  readonly body: unknown;
}
