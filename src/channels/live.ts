// Live providers of this process: one per (workspace, channel, settings version), reused across sends, closed when replaced.
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';

/** A provider in use with its channel settings; its connections stay open until the settings change or the process ends. */
export class LiveProvider implements Provider {
  private inflight = 0;
  private retired = false;

  constructor(
    private readonly inner: Provider,
    /** Sends per second allowed across all workers (null: no limit); pass it to takeSlot. */
    readonly perSecond: number | null,
    readonly pricePerMessage: number,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get channel(): Channel {
    return this.inner.channel;
  }

  get deduplicates(): boolean {
    return this.inner.deduplicates === true;
  }
  get connections(): number | undefined {
    return this.inner.connections;
  }

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    this.inflight++;
    try {
      return await this.inner.send(message);
    } catch (err) {
      // Adapters answer failures instead of throwing; an exception here is a bug, and retrying would repeat it.
      return {
        ok: false,
        retryable: false,
        error: `the ${this.inner.name} provider failed: ${(err as Error).message}`,
      };
    } finally {
      // Not awaited: the answer does not wait for the close, and closeInner never rejects.
      if (--this.inflight === 0 && this.retired) void this.closeInner();
    }
  }

  /** Closes the connections once the sends under way have finished. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.inflight === 0) await this.closeInner();
  }

  /** Closing is best effort: a provider that fails to close has nothing left to lose. */
  private closeInner(): Promise<void> {
    return Promise.resolve(this.inner.close?.()).catch(() => undefined);
  }
}

interface Entry {
  version: bigint;
  live: Promise<LiveProvider>;
}

export class ProviderCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The provider for this version of the settings, made by `make` when the version is newer (the old one is retired).
   * A caller that read an older version than the cached one (a save happened in between) gets the newer provider.
   */
  get(key: string, version: bigint, make: () => Promise<LiveProvider>): Promise<LiveProvider> {
    const hit = this.entries.get(key);
    if (hit && hit.version >= version) return hit.live;
    if (hit) void this.retire(hit);
    const live = make();
    const entry = { version, live };
    this.entries.set(key, entry);
    // A failed make is not cached: the next call tries again.
    live.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return live;
  }

  /** Forgets (and retires) the provider of a channel that is no longer configured. */
  drop(key: string): void {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    void this.retire(hit);
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => this.retire(e)));
  }

  private async retire(entry: Entry): Promise<void> {
    const live = await entry.live.catch(() => null);
    await live?.retire().catch(() => undefined);
  }
}
