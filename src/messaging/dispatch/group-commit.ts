// Marks results as they come, in as few transactions as the load allows (group commit): a write starts `gatherMs`
// after the first result that finds no write running (so the results of one batch's sends, which return within
// milliseconds of each other, share a transaction), or as soon as `flushAt` results wait (every sender is waiting for
// its mark, nothing more can come); those that arrive while a write is running are written together right after it.
// Each caller's promise settles when its own result is committed (or rejects with the write's error).

export function groupCommit<T>(
  write: (items: T[]) => Promise<void>,
  gatherMs = 0,
  flushAt = Number.POSITIVE_INFINITY,
): (item: T) => Promise<void> {
  let waiting: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let writing = false;
  let gathered: (() => void) | null = null;
  const drain = async () => {
    writing = true;
    if (gatherMs > 0 && waiting.length < flushAt) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, gatherMs);
        gathered = () => {
          clearTimeout(timer);
          r();
        };
      });
      gathered = null;
    }
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        await write(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
      else if (gathered && waiting.length >= flushAt) (gathered as () => void)();
    });
}
