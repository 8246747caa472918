/**
 * The client's notion of time. The lab moves the provider's clock (to expire a code or a PAR request);
 * the demo client follows with the same offset so that the `iat`/`exp` it writes into DPoP proofs and
 * client assertions stay consistent with the provider's view (or, on purpose, do not).
 */
export class ClientClock {
  private offsetMs: number;

  constructor(
    offsetMs = 0,
    private readonly source: () => number = () => Date.now(),
  ) {
    this.offsetMs = offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  getOffset(): number {
    return this.offsetMs;
  }

  /** Milliseconds since the epoch, offset applied. */
  now(): number {
    return this.source() + this.offsetMs;
  }

  /** Seconds since the epoch, as JWT NumericDate (RFC 7519 §2). */
  epochSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

export const defaultClientClock = (): ClientClock => new ClientClock();
