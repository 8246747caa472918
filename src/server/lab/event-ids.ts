import { randomBytes } from 'node:crypto';

/**
 * Event ids: a per-launch random prefix and a counter, so that minting one on the request path costs
 * no system call, ids of one launch sort in publication order, and ids of two launches never collide.
 */
const launch = randomBytes(6).toString('hex');
let counter = 0;

export function newEventId(): string {
  counter += 1;
  return `${launch}-${counter.toString(36).padStart(8, '0')}`;
}
