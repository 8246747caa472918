import { useEffect, useState } from 'react';
import { labNow, useLabStore } from '../stores/lab-store';

/** The lab clock (ms), ticking once a second. */
export function useLabNow(): number {
  const clock = useLabStore((s) => s.clock);
  const readAt = useLabStore((s) => s.clockReadAt);
  const [real, setReal] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setReal(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return labNow(clock, readAt, real);
}
