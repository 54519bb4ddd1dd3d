// A value that follows another at most once per interval (the latest value always arrives, at the end of the
// interval). A change of `resetKey` (a new run replayed from scratch) passes through at once.
import { useEffect, useRef, useState } from 'react';

export function useThrottledValue<T>(value: T, intervalMs: number, resetKey: unknown): T {
  const [shown, setShown] = useState(value);
  const lastUpdate = useRef(0);
  const lastKey = useRef(resetKey);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastKey.current !== resetKey ? 0 : lastUpdate.current + intervalMs - Date.now();
    const apply = () => {
      lastUpdate.current = Date.now();
      lastKey.current = resetKey;
      setShown(value);
    };
    if (wait <= 0) {
      apply();
      return;
    }
    const timer = setTimeout(apply, wait);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs, resetKey]);
  return shown;
}
