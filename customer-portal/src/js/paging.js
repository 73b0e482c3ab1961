/**
 * Server paging for the long lists (history, rewards). The platform answers them a page
 * at a time (`?limit=N&offset=M`, a plain JSON list); a page shorter than the limit is
 * the last one. A list keeps the rows loaded so far and hands them out `step` at a time,
 * asking the server for the next page only when the loaded rows are used up.
 */

/** `path` with its paging query (`offset` left out while it is 0). */
export function pagedPath(path, limit, offset = 0) {
  return `${path}?limit=${limit}${offset ? `&offset=${offset}` : ''}`;
}

/**
 * A paged list. `fetchPage(limit, offset)` resolves to one page of rows (a non-list
 * counts as empty). `step` rows are handed out per `more()` (default: a whole page).
 * A failed fetch changes nothing, so the same `more()` can simply be tried again. Rows
 * already handed out (same non-null `id`) are skipped: a row added on the server
 * between two pages shifts the offsets by one.
 */
export function createPagedList({ fetchPage, limit, step = limit }) {
  const rows = [];
  const seen = new Set();
  let shown = 0;
  let offset = 0;
  let done = false;

  async function fetchNext() {
    const page = await fetchPage(limit, offset);
    const list = Array.isArray(page) ? page : [];
    offset += list.length;
    done = list.length < limit;
    for (const row of list) {
      const id = row?.id ?? null;
      if (id !== null && seen.has(id)) continue;
      if (id !== null) seen.add(id);
      rows.push(row);
    }
  }

  return {
    /** Every row loaded so far, in the server's order. */
    rows,
    /** The server has no further page. */
    get done() {
      return done;
    },
    /** How many rows have been handed out. */
    get shown() {
      return shown;
    },
    /** Rows remain to be handed out, loaded or not (drives the "Show more" button). */
    get hasMore() {
      return shown < rows.length || !done;
    },
    /** The next rows: from those loaded, else from the server's next page(s). */
    async more() {
      while (shown >= rows.length && !done) await fetchNext();
      const next = rows.slice(shown, shown + step);
      shown += next.length;
      return next;
    },
  };
}
