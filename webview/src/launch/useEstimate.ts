// The live estimate: a request a moment after the user stops changing values (debounced), each with a fresh
// id; only the answer to the latest request is shown, so a slow answer to an old config never overwrites a
// newer one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Estimate } from '../../../src/shared/launchProtocol';
import type { ConfigObject } from './configEdit';

export interface EstimateState {
  estimate: Estimate | null;
  error: string | null;
  pending: boolean;
}

export function useEstimate(options: {
  config: ConfigObject;
  /** False while the form has errors: no request, the form says what to fix. */
  enabled: boolean;
  delayMs: number;
  request: (config: ConfigObject) => string;
  /** What else the answer depends on (the training file's statistics): a change asks again for the same config. */
  inputsKey?: string;
}) {
  const { config, enabled, delayMs, request, inputsKey = '' } = options;
  const [state, setState] = useState<EstimateState>({ estimate: null, error: null, pending: false });
  const latest = useRef<string | null>(null);
  const key = JSON.stringify(config);

  useEffect(() => {
    if (!enabled) {
      latest.current = null;
      setState((s) => ({ ...s, pending: false }));
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      latest.current = request(JSON.parse(key) as ConfigObject);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key, inputsKey, enabled, delayMs, request]);

  const onResult = useCallback((requestId: string, estimate: Estimate | null, error: string | undefined) => {
    if (requestId !== latest.current) return; // superseded by a newer request
    setState({ estimate, error: error ?? null, pending: false });
  }, []);

  return { ...state, onResult };
}
