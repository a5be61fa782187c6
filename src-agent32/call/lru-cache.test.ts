import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru-cache.ts';

const keys = (cache: LruCache<string, number>, candidates: string[]) => candidates.filter((k) => cache.get(k) !== undefined);

test('forgets the least recently used entry beyond its capacity', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual([cache.get('a'), cache.get('c'), cache.size], [1, 3, 2]);
});

test('a key asked for again in a row stays the youngest; the others age', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.get('a');
  cache.get('a');
  cache.set('c', 3);
  assert.deepEqual(keys(cache, ['a', 'b', 'c']), ['a', 'c']);
});

test('deleteWhere removes matching keys, the youngest too', () => {
  const cache = new LruCache<string, number>(3);
  for (const [k, v] of [['lib1\0a', 1], ['lib2\0b', 2], ['lib1\0c', 3]] as const) cache.set(k, v);
  cache.deleteWhere((k) => k.startsWith('lib1\0'));
  assert.deepEqual([cache.size, cache.get('lib1\0c'), cache.get('lib2\0b')], [1, undefined, 2]);
  cache.set('lib1\0c', 4);
  assert.equal(cache.get('lib1\0c'), 4);
});
