/**
 * Merges a batch into a newest-first list bounded to `capacity`: items already present (same id) are
 * replaced in place, new ones go on top (the batch's last item first), the oldest fall off the end.
 * Returns a new array; untouched items keep their identity so memoised rows do not re-render.
 */
export function mergeBounded<T extends { id: string }>(list: readonly T[], batch: readonly T[], capacity: number): { list: T[]; added: number } {
  const incoming = new Map<string, T>();
  for (const item of batch) incoming.set(item.id, item);
  const next: T[] = [];
  const merged = list.map((item) => {
    const update = incoming.get(item.id);
    if (!update) return item;
    incoming.delete(item.id);
    return update;
  });
  const fresh = [...incoming.values()];
  for (let i = fresh.length - 1; i >= 0 && next.length < capacity; i--) next.push(fresh[i]);
  for (let i = 0; i < merged.length && next.length < capacity; i++) next.push(merged[i]);
  return { list: next, added: fresh.length };
}
