// A value that follows another at most once per interval (the latest value always arrives, at the end of the
// interval), always in a later task and as a transition: what depends on it never delays the urgent render
// that triggered it. A change of `resetKey` (a new run replayed from scratch) passes through at once.
import { startTransition, useEffect, useRef, useState } from 'react';

export function useThrottledValue<T>(value: T, intervalMs: number, resetKey: unknown): T {
  const [shown, setShown] = useState(value);
  const lastUpdate = useRef(0);
  const lastKey = useRef(resetKey);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastUpdate.current + intervalMs - Date.now();
    const apply = () => {
      lastUpdate.current = Date.now();
      lastKey.current = resetKey;
      setShown(value);
    };
    if (lastKey.current !== resetKey) {
      apply();
      return;
    }
    const timer = setTimeout(() => startTransition(apply), Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs, resetKey]);
  return shown;
}
