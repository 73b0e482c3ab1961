import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createPagedList, pagedPath } from '../src/js/paging.js';

/** A fake server of `total` rows (ids 1..total); records each (limit, offset) asked. */
function server(total, { failOnce = false } = {}) {
  const calls = [];
  let fail = failOnce;
  const fetchPage = async (limit, offset) => {
    calls.push([limit, offset]);
    if (fail) {
      fail = false;
      throw new Error('down');
    }
    return Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ id: offset + i + 1 }));
  };
  return { calls, fetchPage };
}

const ids = (rows) => rows.map((r) => r.id);

test('pagedPath leaves offset 0 out', () => {
  assert.equal(pagedPath('/x', 100), '/x?limit=100');
  assert.equal(pagedPath('/x', 50, 0), '/x?limit=50');
  assert.equal(pagedPath('/x', 50, 150), '/x?limit=50&offset=150');
});

test('hands out step rows, and asks the server only when the loaded ones are used up', async () => {
  const s = server(120);
  const list = createPagedList({ fetchPage: s.fetchPage, limit: 50, step: 10 });
  assert.equal(list.hasMore, true);
  assert.deepEqual(ids(await list.more()), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(s.calls, [[50, 0]]);
  for (let i = 0; i < 4; i++) await list.more(); // rows 11–50, no new request
  assert.equal(list.shown, 50);
  assert.deepEqual(s.calls, [[50, 0]]);
  assert.deepEqual(ids(await list.more()), [51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
  assert.deepEqual(s.calls, [[50, 0], [50, 50]]);
  while (list.hasMore) await list.more();
  assert.equal(list.shown, 120);
  assert.deepEqual(ids(list.rows), Array.from({ length: 120 }, (_, i) => i + 1));
  // 120 = 50 + 50 + 20: the short third page is the last, nothing more is asked.
  assert.deepEqual(s.calls, [[50, 0], [50, 50], [50, 100]]);
  assert.equal(list.done, true);
  assert.deepEqual(await list.more(), []);
  assert.equal(s.calls.length, 3);
});

test('a full last page costs one more (empty) request, then stops', async () => {
  const s = server(100);
  const list = createPagedList({ fetchPage: s.fetchPage, limit: 100 });
  assert.equal((await list.more()).length, 100);
  assert.equal(list.hasMore, true); // the server may have more: a full page
  assert.deepEqual(await list.more(), []);
  assert.equal(list.hasMore, false);
  assert.deepEqual(s.calls, [[100, 0], [100, 100]]);
});

test('a short first page means no "Show more" at all', async () => {
  const s = server(3);
  const list = createPagedList({ fetchPage: s.fetchPage, limit: 50, step: 10 });
  assert.equal((await list.more()).length, 3);
  assert.equal(list.hasMore, false);
});

test('a failed page changes nothing and can be asked again', async () => {
  const s = server(60, { failOnce: true });
  const list = createPagedList({ fetchPage: s.fetchPage, limit: 50 });
  await assert.rejects(list.more(), /down/);
  assert.equal(list.shown, 0);
  assert.equal(list.hasMore, true);
  assert.equal((await list.more()).length, 50);
  assert.deepEqual(s.calls, [[50, 0], [50, 0]]);
});

test('rows shifted onto the next page by a new one are not shown twice', async () => {
  const pages = [
    [{ id: 9 }, { id: 8 }],
    [{ id: 8 }, { id: 7 }], // a new row 10 arrived: 8 moved to offset 2
    [{ id: 6 }],
  ];
  const list = createPagedList({ fetchPage: async (_limit, offset) => pages[offset / 2] ?? [], limit: 2 });
  const seen = [];
  while (list.hasMore) seen.push(...ids(await list.more()));
  assert.deepEqual(seen, [9, 8, 7, 6]);
});

test('a page that is not a list counts as empty', async () => {
  const list = createPagedList({ fetchPage: async () => ({ detail: 'x' }), limit: 50 });
  assert.deepEqual(await list.more(), []);
  assert.equal(list.done, true);
});
