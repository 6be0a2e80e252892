import type { Manifest, ManifestKey, SnapshotStore, TamperedFile } from '@balkan-audit/store';

/**
 * The resources of a committed manifest the night must not trust. A manifest whose MAC fails with
 * tonight's key (or that lost its MAC) was edited by someone without the key, who could have
 * changed a file and its hash and blob id together: every resource it lists is then treated as
 * tampered (no export short-circuit, no digest cache, its entry not reused, a `snapshot.tampered`
 * event naming the manifest and the commit that changed it). Empty when the manifest can be trusted
 * (a valid MAC, one written before MACs, or one made with the key a `--rekey` night replaces).
 */
export async function distrustedResources(store: SnapshotStore, manifest: Manifest, macKey: ManifestKey, head: string): Promise<Map<string, TamperedFile>> {
  const trust = await store.checkManifestMac(manifest, macKey, head);
  if (trust.status !== 'invalid' && trust.status !== 'stripped') return new Map();
  const path = `${store.snapshotDir}/manifest.json`;
  return new Map(Object.keys(manifest.resources).map((resource) => [resource, { resource, path, expected: null, actual: null, commit: trust.commit }]));
}

/**
 * Whether tonight's manifest may carry a MAC: only when every resource a distrusted manifest listed
 * was rebuilt from tonight's export. An entry carried over from it (a failed export, a resource not
 * in tonight's run) would otherwise be vouched for by the key; left without a MAC, the next night
 * distrusts it again, until it is rebuilt.
 */
export function canVouch(distrusted: ReadonlyMap<string, TamperedFile>, rebuilt: ReadonlySet<string>): boolean {
  return [...distrusted.keys()].every((resource) => rebuilt.has(resource));
}
