import { useCallback, useEffect, useState } from 'react';

/** Loads once on mount: `data` (null while loading), `failed`, and a setter for local updates. */
export function useLoad<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const run = useCallback(() => {
    load()
      .then(setData)
      .catch(() => setFailed(true));
  }, [load]);
  useEffect(run, [run]);
  return { data, setData, failed };
}
