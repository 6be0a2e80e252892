import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { StoreContext } from './_context.js';
import { StoreError } from './errors.js';

/** A packed object's type and content. */
export interface PackedObject {
  readonly type: 'commit' | 'tree' | 'blob' | 'tag';
  readonly content: Buffer;
}

const TYPES = [null, 'commit', 'tree', 'blob', 'tag'] as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Resolved objects kept for the next delta that needs them; git's own `core.deltaBaseCacheLimit` is 96 MiB. */
const CACHE_BYTES = 96 << 20;

/**
 * Objects of the repository's packfiles (index version 2), read with node:zlib and deltas applied
 * here, or null when no pack has the object (isomorphic-git then reads it, or says it is missing).
 *
 * Why not isomorphic-git: a fresh clone is one pack in which each version of a snapshot file is a
 * small delta on another, in chains up to 50 deep. isomorphic-git inflates with pako and rebuilds
 * each version's chain anew: reading 365 versions of a 2.7 MB file took 31 s (git log -p 8.7 s).
 * Here every object a chain passes through is kept (96 MiB, most recently used first), so each
 * version costs one small inflate and one copy.
 */
export function readPacked(ctx: StoreContext, oid: string): PackedObject | null {
  let packs = packSets.get(ctx);
  if (packs === undefined) packSets.set(ctx, packs = new PackSet(ctx));
  return packs.read(oid);
}

const packSets = new WeakMap<StoreContext, PackSet>();

class PackSet {
  readonly #ctx: StoreContext;
  #packs: Pack[] | null = null;
  readonly #cache = new Map<string, PackedObject>();
  #cached = 0;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  read(oid: string): PackedObject | null {
    const want = Buffer.from(oid, 'hex');
    if (want.length !== 20) return null;
    for (const pack of this.#load()) {
      const offset = pack.find(want);
      if (offset !== -1) return this.#resolve(pack, offset);
    }
    return null;
  }

  #load(): Pack[] {
    if (this.#packs !== null) return this.#packs;
    const dir = join(this.#ctx.gitdir, 'objects', 'pack');
    let names: string[];
    try {
      names = this.#ctx.fs.readdirSync(dir);
    } catch {
      names = [];
    }
    this.#packs = names.filter((n) => n.endsWith('.idx')).flatMap((name) => {
      const pack = Pack.open(this.#ctx, join(dir, name));
      return pack === null ? [] : [pack];
    });
    return this.#packs;
  }

  /** The object at `offset`: its delta chain followed to a whole object (or one kept), then applied. */
  #resolve(pack: Pack, offset: number): PackedObject {
    const chain: Array<{ readonly pack: Pack; readonly offset: number; readonly delta: Buffer }> = [];
    let at = { pack, offset };
    let object: PackedObject | undefined;
    for (;;) {
      object = this.#get(at.pack, at.offset);
      if (object !== undefined) break;
      const entry = at.pack.entry(at.offset);
      if (entry.kind === 'whole') {
        object = this.#keep(at.pack, at.offset, { type: entry.type, content: entry.data });
        break;
      }
      chain.push({ ...at, delta: entry.data });
      if (chain.length > 10_000) throw corrupt(pack, offset, 'has a delta chain that does not end');
      const base = entry.kind === 'ofs' ? { pack: at.pack, offset: entry.base } : this.#locate(entry.base);
      if (base === null) throw corrupt(at.pack, at.offset, `is a delta on ${(entry.base as Buffer).toString('hex')}, which no pack holds`);
      at = base;
    }
    // Applied from the base outwards, each step kept: the next version's chain passes through them.
    for (let i = chain.length - 1; i >= 0; i--) {
      const step = chain[i]!;
      object = this.#keep(step.pack, step.offset, { type: object.type, content: applyDelta(object.content, step.delta, step.pack, step.offset) });
    }
    return object;
  }

  #locate(oid: Buffer): { pack: Pack; offset: number } | null {
    for (const pack of this.#load()) {
      const offset = pack.find(oid);
      if (offset !== -1) return { pack, offset };
    }
    return null;
  }

  #get(pack: Pack, offset: number): PackedObject | undefined {
    const key = `${pack.id}:${offset}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
    }
    return hit;
  }

  #keep(pack: Pack, offset: number, object: PackedObject): PackedObject {
    const size = object.content.length;
    if (size > CACHE_BYTES / 4) return object;
    const key = `${pack.id}:${offset}`;
    if (this.#cache.has(key)) return object;
    this.#cache.set(key, object);
    this.#cached += size;
    for (const [old, kept] of this.#cache) {
      if (this.#cached <= CACHE_BYTES) break;
      this.#cache.delete(old);
      this.#cached -= kept.content.length;
    }
    return object;
  }
}

type PackEntry =
  | { readonly kind: 'whole'; readonly type: PackedObject['type']; readonly data: Buffer }
  | { readonly kind: 'ofs'; readonly base: number; readonly data: Buffer }
  | { readonly kind: 'ref'; readonly base: Buffer; readonly data: Buffer };

/** One `pack-*.idx` (version 2) and its `.pack`. */
class Pack {
  static #next = 0;
  readonly id = Pack.#next++;
  readonly #ctx: StoreContext;
  readonly #idx: Buffer;
  readonly #packPath: string;
  readonly #count: number;
  readonly #packSize: number;
  /** Every object's offset, ascending: where each object's bytes end. */
  #ends: Float64Array | null = null;

  private constructor(ctx: StoreContext, idx: Buffer, packPath: string, packSize: number) {
    this.#ctx = ctx;
    this.#idx = idx;
    this.#packPath = packPath;
    this.#count = idx.readUInt32BE(8 + 255 * 4);
    this.#packSize = packSize;
  }

  /** The pack of an index, or null when it is not a version 2 index with its pack beside it. */
  static open(ctx: StoreContext, idxPath: string): Pack | null {
    try {
      const idx = ctx.fs.readFileSync(idxPath);
      if (idx.length < 8 + 1024 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) return null;
      const packPath = `${idxPath.slice(0, -4)}.pack`;
      return new Pack(ctx, idx, packPath, ctx.fs.statSync(packPath).size);
    } catch {
      return null;
    }
  }

  /** The offset of `oid` in the pack, or -1. */
  find(oid: Buffer): number {
    const idx = this.#idx;
    const first = oid[0]!;
    let lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
    let hi = idx.readUInt32BE(8 + first * 4);
    const shas = 8 + 1024;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = idx.compare(oid, 0, 20, shas + mid * 20, shas + mid * 20 + 20);
      if (order === 0) return this.#offsetAt(mid);
      if (order > 0) hi = mid;
      else lo = mid + 1;
    }
    return -1;
  }

  /** The entry at `offset`: its header read, its data inflated. */
  entry(offset: number): PackEntry {
    const bytes = this.#read(offset, this.#end(offset) - offset);
    let p = 0;
    let c = bytes[p++]!;
    const type = (c >> 4) & 7;
    let size = c & 15;
    let shift = 4;
    while (c & 0x80) {
      c = bytes[p++]!;
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let base: number | Buffer | null = null;
    if (type === OFS_DELTA) {
      c = bytes[p++]!;
      let back = c & 0x7f;
      while (c & 0x80) {
        c = bytes[p++]!;
        back = (back + 1) * 128 + (c & 0x7f);
      }
      base = offset - back;
    } else if (type === REF_DELTA) {
      base = Buffer.from(bytes.subarray(p, p + 20));
      p += 20;
    }
    const data = this.#inflate(bytes.subarray(p), size, offset);
    if (typeof base === 'number') return { kind: 'ofs', base, data };
    if (base !== null) return { kind: 'ref', base, data };
    const name = TYPES[type];
    if (name === undefined || name === null) throw corrupt(this, offset, `has object type ${type}`);
    return { kind: 'whole', type: name, data };
  }

  get path(): string {
    return this.#packPath;
  }

  #inflate(compressed: Buffer, size: number, offset: number): Buffer {
    let data: Buffer;
    try {
      data = inflateSync(compressed);
    } catch (error) {
      throw corrupt(this, offset, `does not inflate: ${(error as Error).message}`, error);
    }
    if (data.length !== size) throw corrupt(this, offset, `inflates to ${data.length} bytes, its header says ${size}`);
    return data;
  }

  #offsetAt(index: number): number {
    const idx = this.#idx;
    const at = 8 + 1024 + this.#count * 24 + index * 4;
    const small = idx.readUInt32BE(at);
    if ((small & 0x80000000) === 0) return small;
    return Number(idx.readBigUInt64BE(8 + 1024 + this.#count * 28 + (small & 0x7fffffff) * 8));
  }

  /** Where the object at `offset` ends: the next object's offset, or the pack's trailing checksum. */
  #end(offset: number): number {
    if (this.#ends === null) {
      const ends = new Float64Array(this.#count);
      for (let i = 0; i < this.#count; i++) ends[i] = this.#offsetAt(i);
      this.#ends = ends.sort();
    }
    const ends = this.#ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < ends.length ? ends[lo]! : this.#packSize - 20;
  }

  #read(offset: number, length: number): Buffer {
    const fs = this.#ctx.fs;
    const out = Buffer.allocUnsafe(length);
    const fd = fs.openSync(this.#packPath, 'r');
    try {
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw corrupt(this, offset, 'is cut short');
        done += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }
}

/** Git's delta format: the source and target sizes, then copies from the base and inserted bytes. */
function applyDelta(base: Buffer, delta: Buffer, pack: Pack, offset: number): Buffer {
  let i = 0;
  const size = (): number => {
    let n = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[i++]!;
      n += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80 && i < delta.length);
    return n;
  };
  if (size() !== base.length) throw corrupt(pack, offset, 'is a delta on a base of another size');
  const out = Buffer.allocUnsafe(size());
  let o = 0;
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let from = 0;
      let length = 0;
      if (op & 0x01) from = delta[i++]!;
      if (op & 0x02) from |= delta[i++]! << 8;
      if (op & 0x04) from |= delta[i++]! << 16;
      if (op & 0x08) from = (from | (delta[i++]! << 24)) >>> 0;
      if (op & 0x10) length = delta[i++]!;
      if (op & 0x20) length |= delta[i++]! << 8;
      if (op & 0x40) length |= delta[i++]! << 16;
      if (length === 0) length = 0x10000;
      if (from + length > base.length || o + length > out.length) throw corrupt(pack, offset, 'copies from outside its base');
      base.copy(out, o, from, from + length);
      o += length;
    } else if (op !== 0) {
      if (i + op > delta.length || o + op > out.length) throw corrupt(pack, offset, 'inserts past its end');
      delta.copy(out, o, i, i + op);
      i += op;
      o += op;
    } else {
      throw corrupt(pack, offset, 'holds a reserved delta instruction');
    }
  }
  if (o !== out.length) throw corrupt(pack, offset, 'does not fill its target');
  return out;
}

function corrupt(pack: Pack, offset: number, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_CORRUPT_OBJECT', `${pack.path}: the object at offset ${offset} ${what}`, { data: { pack: pack.path, offset }, cause });
}
