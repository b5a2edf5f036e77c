/**
 * Values by string id for entries that come and go all the time, such as the requests in flight
 * of a server or a batcher: `get`, `has`, `set` and `delete`, as on a `Map`.
 *
 * Why not a `Map`: V8 (Node 20) rehashes a `Map` into a new table as entries come and go, and the
 * table it leaves behind keeps a link to the new one. Once an old table has been promoted to the
 * old generation, that link keeps the new table, and through it every request entered since,
 * alive through each young-generation collection (scavenge) until the next full collection: the
 * requests' promises, closures and HTTP objects are copied and promoted at every scavenge, which
 * makes each scavenge pause, and the event loop with it, several times longer. An object used as a
 * dictionary (null prototype) leaves no such link: in a churn of 30 live entries of about 2 KB
 * each, a `Map` made scavenges promote 1.5 MB and pause 3-7 ms, this table 35 KB and 0.5-1 ms
 * (`node --trace-gc-nvp`; see `npm run bench -w @mbs/server`).
 *
 * @example
 * ```ts
 * const inFlight = createIdTable<PendingRequest>();
 * inFlight.set('r1', request);
 * inFlight.get('r1'); // request
 * inFlight.delete('r1'); // true
 * ```
 */
export interface IdTable<T> {
  /** The value of `id`, undefined when it has none. */
  get(id: string): T | undefined;
  has(id: string): boolean;
  set(id: string, value: T): void;
  /** Removes `id`; false when it had no value. */
  delete(id: string): boolean;
}

/** Creates an empty {@link IdTable}: a dictionary object without a prototype. */
export function createIdTable<T>(): IdTable<T> {
  // No prototype, so ids such as "constructor" or "__proto__" are plain keys.
  const entries: Record<string, T> = Object.create(null) as Record<string, T>;
  return {
    get: (id) => entries[id],
    has: (id) => id in entries,
    set(id, value) {
      entries[id] = value;
    },
    delete(id) {
      if (!(id in entries)) return false;
      delete entries[id];
      return true;
    },
  };
}
