/**
 * Any stack rendered the way the e2e suite renders the dev stack (dev/local-cluster/program-blueprint.ts):
 * index.ts run offline as `pulumi up`, real certificates, member addresses 127.0.0.11 on.
 */
import type { ClusterBlueprint } from "../local-cluster/blueprint";
import { blueprintOf, LOCAL_ETCD_VERSION, loopbackMemberAddress } from "../local-cluster/program-blueprint";
import { realTls } from "../mock-runtime/real-tls";
import { runProgram } from "../mock-runtime/run-stack";

/** Renders `stack` for the local etcd 3.5 release, with `members` replacing its member count when given. */
export async function stackBlueprint(stack: string, members: number | undefined): Promise<ClusterBlueprint> {
  const run = await runProgram({
    stack,
    preview: false,
    configOverrides: { etcdVersion: LOCAL_ETCD_VERSION, ...(members === undefined ? {} : { members }) },
    tls: realTls(),
    memberAddress: loopbackMemberAddress,
  });
  return blueprintOf(run);
}
