// Marks results as they come, in as few transactions as the load allows (group commit): the first result is written
// at once, and those that arrive while a write is running are written together right after it. Each caller's promise
// settles when its own result is committed (or rejects with the write's error).

export function groupCommit<T>(write: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
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
  return (item) => new Promise<void>((resolve, reject) => {
    waiting.push({ item, resolve, reject });
    if (!writing) void drain();
  });
}
