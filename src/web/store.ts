import { useEffect, useState } from 'preact/hooks';

/** A value the whole page shares (the signed-in user, the toasts), with a hook that re-renders on change. */
export class Shared<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private current: T) {}
  get(): T {
    return this.current;
  }
  set(value: T): void {
    this.current = value;
    for (const listener of this.listeners) listener(value);
  }
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function useShared<T>(shared: Shared<T>): T {
  const [value, setValue] = useState(shared.get());
  useEffect(() => {
    setValue(shared.get());
    return shared.subscribe(setValue);
  }, [shared]);
  return value;
}
