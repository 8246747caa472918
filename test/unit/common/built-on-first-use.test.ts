import { describe, expect, it } from 'vitest';
import { builtOnFirstUse } from '../../../src/common/built-on-first-use';
import { labEventSchemas } from '../../../src/common/lab-events';

describe('builtOnFirstUse', () => {
  it('builds nothing until asked, then builds once and keeps the value', () => {
    let builds = 0;
    const value = builtOnFirstUse(() => {
      builds += 1;
      return { built: builds };
    });
    expect(builds).toBe(0);
    expect(value.built).toBe(false);
    const first = value();
    expect(value.built).toBe(true);
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a value that is undefined without building it again', () => {
    let builds = 0;
    const value = builtOnFirstUse(() => {
      builds += 1;
      return undefined;
    });
    value();
    value();
    expect(builds).toBe(1);
  });

  it('gives the lab event schemas as one set, the same on every call', () => {
    const schemas = labEventSchemas();
    expect(labEventSchemas()).toBe(schemas);
    // The union validates with the very exchange schema it names (one set, not two builds).
    expect(schemas.labEvent.options).toContain(schemas.exchange);
  });
});
