import { describe, expect, it } from 'vitest';
import { diffJson } from './_json-diff.js';

const metadata = (secret: string, extra: object[] = []) => [
  { key: 'client_id', name: 'Client ID', type: 'public', value: 'abc' },
  { key: 'client_secret', name: 'Client Secret', type: 'secret', value: secret },
  ...extra,
];

describe('diffJson', () => {
  it.each([
    ['equal objects', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, []],
    ['member changed', { a: 1 }, { a: 2 }, [{ path: ['a'], op: 'changed', before: 1, after: 2 }]],
    ['member added', { a: 1 }, { a: 1, b: true }, [{ path: ['b'], op: 'added', before: null, after: true }]],
    ['member removed', { a: 1, b: { c: 'x' } }, { a: 1 }, [{ path: ['b'], op: 'removed', before: { c: 'x' }, after: null }]],
    ['nested member changed', { a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, [{ path: ['a', 'b', 'c'], op: 'changed', before: 1, after: 2 }]],
    ['type changed', { a: [1] }, { a: { x: 1 } }, [{ path: ['a'], op: 'changed', before: [1], after: { x: 1 } }]],
    ['whole value from nothing', null, { a: 1 }, [{ path: [], op: 'changed', before: null, after: { a: 1 } }]],
    ['rotated secret matched by key', metadata('fp-1'), metadata('fp-2'),
      [{ path: ['[key=client_secret]', 'value'], op: 'changed', before: 'fp-1', after: 'fp-2' }]],
    ['identified element added', metadata('s'), metadata('s', [{ key: 'region', value: 'eu' }]),
      [{ path: ['[key=region]'], op: 'added', before: null, after: { key: 'region', value: 'eu' } }]],
    ['identified element removed', metadata('s', [{ key: 'region', value: 'eu' }]), metadata('s'),
      [{ path: ['[key=region]'], op: 'removed', before: { key: 'region', value: 'eu' }, after: null }]],
    ['identified elements reordered', [{ id: 1, v: 'a' }, { id: 2, v: 'b' }], [{ id: 2, v: 'b' }, { id: 1, v: 'a' }],
      [{ path: [], op: 'reordered', before: [1, 2], after: [2, 1] }]],
    ['identity falls back to name when key is missing', [{ name: 'a', v: 1 }], [{ name: 'a', v: 2 }],
      [{ path: ['[name=a]', 'v'], op: 'changed', before: 1, after: 2 }]],
    ['duplicate identities: element by element', [{ id: 1, v: 1 }, { id: 1, v: 2 }], [{ id: 1, v: 1 }, { id: 1, v: 3 }],
      [{ path: [1, 'v'], op: 'changed', before: 2, after: 3 }]],
    ['plain array reordered', { r: ['a', 'b', 'c'] }, { r: ['c', 'a', 'b'] },
      [{ path: ['r'], op: 'reordered', before: ['a', 'b', 'c'], after: ['c', 'a', 'b'] }]],
    ['plain array element changed', { r: ['a', 'b'] }, { r: ['a', 'x'] }, [{ path: ['r', 1], op: 'changed', before: 'b', after: 'x' }]],
    ['plain array element appended', { r: ['a'] }, { r: ['a', 'b'] }, [{ path: ['r', 1], op: 'added', before: null, after: 'b' }]],
    ['plain array element dropped', { r: ['a', 'b'] }, { r: ['a'] }, [{ path: ['r', 1], op: 'removed', before: 'b', after: null }]],
    ['nested identified array', { opts: { rules: [{ id: 'x', on: true }] } }, { opts: { rules: [{ id: 'x', on: false }] } },
      [{ path: ['opts', 'rules', '[id=x]', 'on'], op: 'changed', before: true, after: false }]],
  ])('%s', (_name, before, after, expected) => {
    expect(diffJson(before, after)).toEqual(expected);
  });

  it('lists changes in path order', () => {
    const changes = diffJson({ z: 1, a: 1, m: [1, 2, 3] }, { z: 2, a: 2, m: [1, 5, 6] });
    expect(changes.map((c) => c.path)).toEqual([['a'], ['m', 1], ['m', 2], ['z']]);
  });
});
