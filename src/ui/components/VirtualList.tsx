// A virtualised list over a (possibly 64k-long) array of ids: only the rows on screen
// are rendered, and only their records are read from IndexedDB (in one bulk read per
// scroll position), so scrolling the whole corpus stays smooth.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { isImeKey } from '../actions/keys';

export function VirtualList<T>(props: {
  ids: string[];
  /** Reads the records of these ids (same order; undefined for unknown ids). */
  load: (ids: string[]) => Promise<(T | undefined)[]>;
  rowHeight: number;
  renderRow: (id: string, item: T | undefined, index: number) => ReactNode;
  selected?: string;
  onSelect?: (id: string) => void;
  label: string;
  testId?: string;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [cache, setCache] = useState(() => new Map<string, T | undefined>());
  const { ids, load } = props;
  useEffect(() => setCache(new Map()), [ids, load]);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => props.rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    const missing = ids.slice(first, last + 1).filter((id) => !cache.has(id));
    if (missing.length === 0) return;
    let live = true;
    void load(missing).then((rows) => {
      if (!live) return;
      setCache((c) => {
        const next = new Map(c);
        missing.forEach((id, i) => next.set(id, rows[i]));
        // Bound memory on long scrolls through big corpora.
        if (next.size > 5000) for (const k of [...next.keys()].slice(0, next.size - 5000)) next.delete(k);
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [ids, load, first, last, cache]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!props.onSelect || ids.length === 0 || isImeKey(e.nativeEvent)) return;
    const at = props.selected ? ids.indexOf(props.selected) : -1;
    let next = at;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(ids.length - 1, at + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, at - 1);
    else return;
    e.preventDefault();
    props.onSelect(ids[next]);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div ref={parentRef} className="vlist" tabIndex={0} role="listbox" aria-label={props.label} data-testid={props.testId} onKeyDown={onKeyDown}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {items.map((v) => {
          const id = ids[v.index];
          return (
            <div
              key={id}
              role="option"
              aria-selected={props.selected === id}
              className={'vrow' + (props.selected === id ? ' selected' : '')}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: v.size, transform: `translateY(${v.start}px)` }}
              onClick={() => props.onSelect?.(id)}
            >
              {props.renderRow(id, cache.get(id), v.index)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
