import { SERVE_NODE_OPTIONS } from './serve-node-options';

/**
 * The V8 code cache for a process started with `execArgv` and `NODE_OPTIONS`. V8 takes a cache only
 * in a process whose V8 flags are those it was made with; any other is read, checked and thrown away
 * (here 17 ms of a 140 ms start, where a start without a cache takes 123 ms and one with the right
 * cache 100 ms). The build makes one for node started with the serve options (serve-node-options.ts),
 * as `npm run serve` starts it, and one for node's defaults, as the `trusty-lab` command starts.
 */
export function codeCacheFile(
  bundle: string,
  execArgv: readonly string[],
  nodeOptionsVariable: string | undefined,
): string {
  const given = [...execArgv, ...(nodeOptionsVariable?.split(/\s+/) ?? [])];
  const withServeOptions = SERVE_NODE_OPTIONS.every((option) => given.includes(option));
  return `${bundle}.${withServeOptions ? 'serve' : 'node-defaults'}.v8cache`;
}
