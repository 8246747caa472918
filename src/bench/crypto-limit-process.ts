import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CryptoLimit } from './crypto-limit';

export const CRYPTO_LIMIT_CHILD_FLAG = '--measure-crypto-limit';

/**
 * Measures the crypto limit in a short-lived process pinned to `core`: the server's core, so that the
 * limit and the server's throughput see the same core and the same neighbours. Measured again before
 * every round, since a shared machine's speed drifts between rounds.
 */
export function measureCryptoLimitOnCore(core: number | undefined): CryptoLimit {
  const bench = fileURLToPath(new URL('./bench.js', import.meta.url));
  const argv = [process.execPath, bench, CRYPTO_LIMIT_CHILD_FLAG];
  const [command, ...args] = core === undefined ? argv : ['taskset', '-c', String(core), ...argv];
  const output = execFileSync(command ?? process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(output) as CryptoLimit;
}
