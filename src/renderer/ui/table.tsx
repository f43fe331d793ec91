import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** A CSS grid track: '120px', '1fr', 'minmax(80px, 1fr)'. Default '1fr'. */
  width?: string;
  /** Right-aligned tabular numbers. */
  numeric?: boolean;
  render: (row: T) => ReactNode;
  /** Tooltip for the cell, e.g. a full hash behind a short one. */
  title?: (row: T) => string | undefined;
}

export interface TableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  /** Height of the scrolling body (CSS length). Default 480px. */
  height?: number | string;
  rowHeight?: number;
  empty?: ReactNode;
  testId?: string;
  /** data-testid on each row. */
  rowTestId?: string;
  ariaLabel?: string;
}

/**
 * A virtualized table: only the rows in view (plus a small overscan) are in the DOM, so tens of
 * thousands of rows scroll at frame rate. Rows are memoised on their object identity: when a new
 * batch arrives, rows that did not change do not re-render. Keep `columns` stable (module constant
 * or useMemo), or every row re-renders.
 *
 * Keyboard: the table is one tab stop (a roving tab index). Tab lands on the last row used, ↑/↓ move
 * by a row, PageUp/PageDown by a screen, Home/End to the ends, Enter opens the row.
 */
export function Table<T>({ rows, columns, rowKey, onRowClick, height = 480, rowHeight = 30, empty, testId, rowTestId, ariaLabel }: TableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (i) => rowKey(rows[i]),
  });
  const template = columns.map((c) => c.width ?? '1fr').join(' ');
  const [activeIndex, setActiveIndex] = useState(0);
  const active = Math.min(activeIndex, Math.max(0, rows.length - 1));
  const onRowFocus = useCallback((index: number) => setActiveIndex(index), []);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next);
    // The row may only exist after the virtualizer re-renders: focus it on the next frame.
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[aria-rowindex="${next + 1}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!onRowClick || rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const target = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: rows.length - 1 }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    moveTo(target);
  };

  return (
    <div className="vtable" role="table" aria-label={ariaLabel} aria-rowcount={rows.length} data-testid={testId}>
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={`vtable-cell${c.numeric ? ' num' : ''}`}>
            {c.header}
          </div>
        ))}
      </div>
      <div className="vtable-scroll" ref={scrollRef} style={{ height }} data-testid={testId ? `${testId}-scroll` : undefined}>
        {rows.length === 0 ? (
          <div className="empty">{empty ?? 'Nothing to show'}</div>
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }} onKeyDown={onKeyDown}>
            {virtualizer.getVirtualItems().map((item) => (
              <Row
                key={item.key as string}
                row={rows[item.index]}
                index={item.index}
                columns={columns}
                template={template}
                top={item.start}
                height={rowHeight}
                onRowClick={onRowClick}
                tabStop={item.index === active}
                onFocusRow={onRowFocus}
                testId={rowTestId}
              />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

interface RowProps<T> {
  row: T;
  index: number;
  columns: readonly Column<T>[];
  template: string;
  top: number;
  height: number;
  onRowClick?: (row: T) => void;
  /** The one row Tab reaches (roving tab index). */
  tabStop: boolean;
  onFocusRow: (index: number) => void;
  testId?: string;
}

function RowImpl<T>({ row, index, columns, template, top, height, onRowClick, tabStop, onFocusRow, testId }: RowProps<T>) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, height, gridTemplateColumns: template };
  const onKey = onRowClick
    ? (e: KeyboardEvent) => {
        if (e.key === 'Enter') onRowClick(row);
      }
    : undefined;
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      className={`vtable-row${onRowClick ? ' clickable' : ''}`}
      style={style}
      tabIndex={onRowClick ? (tabStop ? 0 : -1) : undefined}
      onFocus={onRowClick ? () => onFocusRow(index) : undefined}
      onClick={onRowClick ? () => onRowClick(row) : undefined}
      onKeyDown={onKey}
      data-testid={testId}
    >
      {columns.map((c) => (
        <div key={c.key} role="cell" className={`vtable-cell${c.numeric ? ' num' : ''}`} title={c.title?.(row)}>
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}

const Row = memo(RowImpl) as typeof RowImpl;
