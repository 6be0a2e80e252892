import { createHash } from 'node:crypto';
import git from 'isomorphic-git';
import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { hashBlob, readBlob } from './_objects.js';
import { manifestFile } from './_paths.js';
import { resolveCommit } from './_revparse.js';
import { shallowEdge } from './_shallow.js';
import { macProblem } from './_manifest-trust.js';
import { compareWithManifest } from './_tamper.js';
import { blobsOf, dirTreeAt } from './_tree.js';
import { StoreError } from './errors.js';
import { checkManifestMac, type ManifestKey } from './mac.js';
import { parseManifest } from './manifest.js';
import type { HistoryProblem, Manifest, ManifestTrust, VerifyHistoryOptions, VerifyHistoryResult, VerifyProblem } from './types.js';

interface Walked {
  readonly oid: string;
  readonly commit: CommitObject;
  /** The bytes a signature covers (the commit without `gpgsig`). */
  readonly payload: string;
}

/** What one state of the snapshot directory (one tree id) holds, checked once however many commits share it. */
interface DirState {
  readonly manifest: Manifest | null;
  /** The manifest's MAC against the key (`absent` is told from `stripped` per commit). */
  readonly mac: Exclude<ManifestTrust['status'], 'stripped'> | null;
  readonly problems: readonly Omit<VerifyProblem, 'commit'>[];
}

/** Where a commit's walk state comes from: its snapshot directory and whether a MAC was seen before. */
interface Lineage {
  readonly dir: string | null;
  readonly macSeen: boolean;
}

/**
 * Verifies every commit reachable from `ref` (all parents, so a merged branch's commits are walked
 * too) that touched the snapshot directory, oldest first: a commit "touches" it when its directory
 * differs from each parent's (a merge that took one side's snapshot unchanged does not). Each
 * distinct directory is checked once; each distinct file (blob id + manifest hash) is hashed once.
 */
export async function verifyHistory(ctx: StoreContext, snapshotDir: string, branchRef: string, options: VerifyHistoryOptions): Promise<VerifyHistoryResult> {
  const tip = (await resolveCommit(ctx, branchRef, options.ref ?? 'HEAD')).oid;
  const since = options.since === undefined ? null : (await resolveCommit(ctx, branchRef, options.since)).oid;
  const excluded = since === null ? new Set<string>() : await reachable(ctx, since);
  const segments = snapshotDir.split('/');
  const macKey = options.macKey ?? null;
  const verifier = options.verifier ?? null;
  const dirs = createDirChecker(ctx, snapshotDir, macKey);
  const lineage = new Map<string, Lineage>();
  const problems: HistoryProblem[] = [];
  const edge = await shallowEdge(ctx);
  const edgeReached: string[] = [];
  const macs: Record<ManifestTrust['status'], number> = { valid: 0, invalid: 0, stripped: 0, absent: 0, 'other-key': 0, unchecked: 0 };
  let commits = 0;
  let goodSignatures = 0;

  for (const walked of await oldestFirst(ctx, tip, excluded)) {
    const { oid, commit } = walked;
    if (edge.has(oid)) edgeReached.push(oid);
    const dir = await dirTreeAt(ctx, commit.tree, segments);
    const parents = await Promise.all(commit.parent.map((p) => lineage.get(p) ?? boundaryLineage(ctx, p, segments, dirs)));
    const macBefore = parents.some((p) => p?.macSeen === true);
    const known = parents.filter((p): p is Lineage => p !== null);
    const touched = known.length === 0 ? dir !== null : known.every((p) => p.dir !== dir);
    if (!touched) {
      lineage.set(oid, { dir, macSeen: macBefore });
      continue;
    }
    commits++;
    const state = await dirs.check(dir);
    const mac = state.mac === 'absent' && macBefore ? 'stripped' : state.mac;
    if (mac !== null) macs[mac]++;
    lineage.set(oid, { dir, macSeen: macBefore || state.manifest?.mac !== undefined });

    const found: Omit<VerifyProblem, 'commit'>[] = [...state.problems];
    const macFailed = mac === null ? null : macProblem(mac, `${snapshotDir}/${manifestFile}`, state.manifest);
    if (macFailed !== null) found.push(macFailed);
    if (verifier !== null) {
      const signature = commit.gpgsig;
      if (signature === undefined) {
        found.push({ kind: 'unsigned', resource: null, path: null, expected: null, actual: null, detail: 'the commit is not signed' });
      } else {
        const checked = await verifier.verify(walked.payload, signature);
        if (checked.valid) goodSignatures++;
        else found.push({ kind: 'bad-signature', resource: null, path: null, expected: null, actual: null, detail: checked.reason });
      }
    }
    const subject = commit.message.split('\n', 1)[0] ?? '';
    for (const p of found) problems.push({ ...p, commit: oid, subject });
  }
  return {
    ok: problems.length === 0,
    tip,
    since,
    commits,
    filesHashed: dirs.filesHashed(),
    macs,
    signatures: verifier === null ? null : { good: goodSignatures, fingerprints: verifier.fingerprints },
    problems,
    shallowEdge: edgeReached,
  };
}

/**
 * Checks states of the snapshot directory, each once: the manifest parses, its MAC, each file
 * against its entry (blob id, then sha256 and the object's own id, each distinct pair hashed once).
 */
function createDirChecker(ctx: StoreContext, snapshotDir: string, macKey: ManifestKey | null) {
  const states = new Map<string, Promise<DirState>>();
  const manifests = new Map<string, Promise<{ manifest: Manifest } | { error: string }>>();
  const hashes = new Map<string, Promise<{ sha256: string; intact: boolean }>>();
  const manifestPath = `${snapshotDir}/${manifestFile}`;

  const hashOf = (oid: string) => {
    let hashed = hashes.get(oid);
    if (hashed === undefined) {
      hashed = readBlob(ctx, oid).then((bytes) => ({ sha256: createHash('sha256').update(bytes).digest('hex'), intact: hashBlob(bytes) === oid }));
      hashes.set(oid, hashed);
    }
    return hashed;
  };
  const manifestOf = (oid: string) => {
    let parsed = manifests.get(oid);
    if (parsed === undefined) {
      parsed = readBlob(ctx, oid).then((bytes) => ({ manifest: parseManifest(bytes, manifestPath) }))
        .catch((error: unknown) => {
          if (error instanceof StoreError && error.code === 'STORE_BAD_MANIFEST') return { error: error.message };
          throw error;
        });
      manifests.set(oid, parsed);
    }
    return parsed;
  };

  const checkState = async (dir: string | null): Promise<DirState> => {
    const gone = { kind: 'no-manifest' as const, resource: null, path: manifestPath, expected: null, actual: null };
    if (dir === null) return { manifest: null, mac: null, problems: [{ ...gone, detail: `${snapshotDir}/ is gone` }] };
    const files = await blobsOf(ctx, dir);
    const manifestOid = files.get(manifestFile);
    if (manifestOid === undefined) return { manifest: null, mac: null, problems: [{ ...gone, detail: `no ${manifestFile} in ${snapshotDir}/` }] };
    const parsed = await manifestOf(manifestOid);
    if ('error' in parsed) return { manifest: null, mac: null, problems: [{ kind: 'bad-manifest', resource: null, path: manifestPath, expected: null, actual: manifestOid, detail: parsed.error }] };
    const { manifest } = parsed;
    const mac = manifest.mac === undefined ? 'absent' : macKey === null ? 'unchecked' : checkManifestMac(manifest, macKey);
    const { findings } = await compareWithManifest(files, manifest, snapshotDir, async (entry, oid) => {
      if (entry.blobId !== undefined && entry.blobId !== oid) return { kind: 'mismatch', expected: entry.blobId, actual: oid };
      const { sha256, intact } = await hashOf(oid);
      if (!intact) return { kind: 'corrupt', expected: oid, actual: null };
      return sha256 === entry.canonicalSha256 ? null : { kind: 'mismatch', expected: entry.canonicalSha256, actual: sha256 };
    });
    return { manifest, mac, problems: findings };
  };

  return {
    /** The manifest of a directory state, parsed, without checking anything else (null: none, or malformed). */
    async manifest(dir: string | null): Promise<Manifest | null> {
      const manifestOid = dir === null ? undefined : (await blobsOf(ctx, dir)).get(manifestFile);
      const parsed = manifestOid === undefined ? null : await manifestOf(manifestOid);
      return parsed === null || 'error' in parsed ? null : parsed.manifest;
    },
    check(dir: string | null): Promise<DirState> {
      const key = dir ?? '';
      let state = states.get(key);
      if (state === undefined) {
        state = checkState(dir);
        states.set(key, state);
      }
      return state;
    },
    filesHashed: () => hashes.size,
  };
}

/**
 * A parent outside the walk (before `since`, or not in a shallow clone): its directory, and
 * whether its manifest had a MAC (its own history is not walked). Null when it is not there at all.
 */
async function boundaryLineage(ctx: StoreContext, oid: string, segments: readonly string[], dirs: ReturnType<typeof createDirChecker>): Promise<Lineage | null> {
  const walked = await readWalked(ctx, oid);
  if (walked === null) return null;
  const dir = await dirTreeAt(ctx, walked.commit.tree, segments);
  return { dir, macSeen: (await dirs.manifest(dir))?.mac !== undefined };
}

/** Commits reachable from `tip` but not in `excluded`, parents before children. */
async function oldestFirst(ctx: StoreContext, tip: string, excluded: ReadonlySet<string>): Promise<Walked[]> {
  const out: Walked[] = [];
  const seen = new Set<string>([tip]);
  const first = excluded.has(tip) ? null : await readWalked(ctx, tip);
  if (first === null) return out;
  // Depth-first, children stay on the stack until their parents are out: a post-order.
  const stack: { walked: Walked; next: number }[] = [{ walked: first, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const parent = top.walked.commit.parent[top.next];
    if (parent === undefined) {
      out.push(top.walked);
      stack.pop();
      continue;
    }
    top.next++;
    if (excluded.has(parent) || seen.has(parent)) continue;
    seen.add(parent);
    const walked = await readWalked(ctx, parent);
    if (walked !== null) stack.push({ walked, next: 0 });
  }
  return out;
}

/** Every commit reachable from `start`, itself included. */
async function reachable(ctx: StoreContext, start: string): Promise<Set<string>> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let oid = queue.pop(); oid !== undefined; oid = queue.pop()) {
    const walked = await readWalked(ctx, oid);
    for (const parent of walked?.commit.parent ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        queue.push(parent);
      }
    }
  }
  return seen;
}

/** A commit with its signing payload; null when the object is absent (a shallow clone's edge). */
async function readWalked(ctx: StoreContext, oid: string): Promise<Walked | null> {
  try {
    const { commit, payload } = await git.readCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    return { oid, commit, payload };
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
}
