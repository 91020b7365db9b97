/**
 * Request coalescing for the booking rush: reads that many concurrent requests need are
 * collected for one turn of the event loop and answered by one query (the DataLoader
 * pattern). A request never waits for more than the current turn, and every read it gets
 * started after it arrived, so coalescing changes how many statements run, never what a
 * request can observe.
 */

/** Collects keys for one event-loop turn and loads them with one call per `max` keys. */
export class Coalescer<K, V> {
  private pending: Array<{ key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  /**
   * @param loadMany loads a batch of distinct keys; keys missing from the map resolve to undefined
   * @param max largest batch per call (keeps statements and parameter lists bounded)
   */
  constructor(
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    private readonly max = 200,
  ) {}

  /** The value of `key` from a load that starts after this call. */
  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (let i = 0; i < batch.length; i += this.max) {
      const part = batch.slice(i, i + this.max);
      const keys = [...new Set(part.map((p) => p.key))];
      this.loadMany(keys).then(
        (map) => {
          for (const p of part) p.resolve(map.get(p.key));
        },
        (err) => {
          for (const p of part) p.reject(err);
        },
      );
    }
  }
}
