import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../../src/server/application/login-throttle';

describe('login throttle', () => {
  it('lets a few failures through, then makes each attempt wait longer, per username', () => {
    let now = 1_000_000;
    const throttle = createLoginThrottle({ now: () => now });
    for (let i = 0; i < 4; i++) throttle.recordFailure('alice');
    expect(throttle.retryAfter('alice')).toBe(0);
    throttle.recordFailure('Alice ');
    expect(throttle.retryAfter('alice')).toBe(2);
    throttle.recordFailure('alice');
    expect(throttle.retryAfter('alice')).toBe(4);
    expect(throttle.retryAfter('bob')).toBe(0);
    now += 4_000;
    expect(throttle.retryAfter('alice')).toBe(0);
    throttle.recordSuccess('alice');
    throttle.recordFailure('alice');
    expect(throttle.retryAfter('alice')).toBe(0);
  });
});
