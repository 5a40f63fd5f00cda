/**
 * A stack whose state holds protected or retained resources is refused before anything is
 * destroyed. Such resources exist only with `protectData: true` (data and WAL volumes, the backup
 * bucket): `pulumi destroy` would fail on them, or leave them billing in AWS.
 */

/** What a refusal needs to know of a resource, from the state or from an offline run. */
export interface ResourceProtection {
  readonly urn: string;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

/** The refusal message naming `protectData`, or undefined when nothing is protected or retained. */
export function protectedStackRefusal(stack: string, resources: readonly ResourceProtection[]): string | undefined {
  const held = resources.filter((resource) => resource.protect === true || resource.retainOnDelete === true);
  if (held.length === 0) return undefined;
  const names = held.map((resource) => resource.urn.slice(resource.urn.lastIndexOf("::") + 2));
  return (
    `refusing to destroy stack ${stack}: it was deployed with etcd-cluster:protectData: true, so ${held.length} resource(s) are ` +
    `protected or retained (${names.join(", ")}). A test cluster must not hold data worth keeping: set protectData to false and ` +
    "run pulumi up first, or destroy it by hand."
  );
}
