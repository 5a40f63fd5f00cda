/**
 * A stack restoring from a snapshot: each member's role may read exactly the snapshot object, as
 * AWS evaluates the role's policies, and each member gets the restore step in its boot.
 * (Everything else a member's role may do: member-permissions.test.ts.)
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { BOOT_SCRIPT_PATH, RESTORE_SCRIPT_PATH } from "../../src/core/member/ports-and-paths";
import { memberFiles } from "../../dev/mock-runtime/received-files";
import type { ProgramRun } from "../../dev/mock-runtime/run-record";
import { runProgram } from "../../dev/mock-runtime/run-stack";
import { accountOf, isAllowed } from "../support/iam-evaluation";
import { memberRoles } from "../support/program-roles";
import { resourcesOfType, TYPES } from "../support/resource-graph";

describe("a stack restoring from a snapshot (dev with restore.snapshotUri)", () => {
  const SNAPSHOT_URI = "s3://etcd-prod-backups-7f3a2b1/etcd-prod/snapshots/20250301T120000Z-rev81234-etcd-prod-2.db";
  const SNAPSHOT_ARN = "arn:aws:s3:::etcd-prod-backups-7f3a2b1/etcd-prod/snapshots/20250301T120000Z-rev81234-etcd-prod-2.db";
  let run: ProgramRun;
  before(async () => {
    run = await runProgram({
      stack: "dev",
      preview: false,
      configOverrides: { restore: { snapshotUri: SNAPSHOT_URI, snapshotSha256: "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730" } },
    });
  });

  it("lets each member get exactly the snapshot object, nothing else of that bucket", async () => {
    const others = [
      "arn:aws:s3:::etcd-prod-backups-7f3a2b1/etcd-prod/snapshots/20250302T120000Z-rev90000-etcd-prod-0.db",
      "arn:aws:s3:::etcd-prod-backups-7f3a2b1/other/secret.txt",
    ];
    for (const [member, role] of memberRoles(run)) {
      const request = (resource: string) => ({ action: "s3:GetObject", resource, resourceAccount: accountOf(role.roleArn) });
      assert.equal(await isAllowed(role, request(SNAPSHOT_ARN)), true, member);
      for (const other of others) assert.equal(await isAllowed(role, request(other)), false, `${member}: ${other}`);
    }
  });

  it("installs on each member the restore script for that snapshot, and a boot script that runs it", () => {
    for (const instance of resourcesOfType(run, TYPES.instance)) {
      const files = memberFiles(run, instance);
      const restore = files.find((file) => file.path === RESTORE_SCRIPT_PATH);
      assert.match(restore?.content ?? "", new RegExp(`^readonly SNAPSHOT_URI='${SNAPSHOT_URI}'$`, "m"), instance.name);
      assert.match(
        files.find((file) => file.path === BOOT_SCRIPT_PATH)?.content ?? "",
        new RegExp(`^readonly restore_script='${RESTORE_SCRIPT_PATH}'$`, "m"),
        instance.name,
      );
    }
  });
});
