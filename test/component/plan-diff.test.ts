/**
 * `npm run plan -- <stack> --diff <ref>`: per member, in rollout order, the resources an update
 * replaces and the diff of every file the member receives. The renderer is judged on two runs of
 * the dev stack, one with a single member's certificates renewed or its etcd configuration edited; the command end to end on a
 * scratch git repository holding this checkout, with a stack setting changed after the commit.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeUserData } from "../../src/core/member/cloud-init";
import { packMemberBundle } from "../../src/core/member/member-bundle";
import type { MemberFile } from "../../src/core/member/member-files";
import { bundleReference, memberCloudConfig } from "../../dev/mock-runtime/cloud-init-files";
import { BUNDLE_OBJECT_TYPE, bundleArchiveFiles, memberBundleArchive } from "../../dev/mock-runtime/received-files";
import { renderPlanDiff } from "../../dev/plan/plan-diff";
import type { ProgramRun, RecordedResource } from "../../dev/mock-runtime/run-record";
import { PROJECT_DIR } from "../../dev/mock-runtime/project-file";
import { stackNames } from "../../dev/mock-runtime/stack-files";
import { programRun } from "../support/program-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

const LABELS = { before: "base", after: "head" };

/**
 * The run with one instance's user data changed as a renewal of that member's certificates changes
 * it: the fingerprint line in the cloud-config's header, re-encoded as the program encodes it.
 */
function withRenewedCertificates(run: ProgramRun, instanceName: string): { run: ProgramRun; before: string; after: string } {
  let before = "";
  let after = "";
  const resources = run.resources.map((resource): RecordedResource => {
    if (resource.name !== instanceName) return resource;
    const userData = memberCloudConfig(recordedText(resource.inputs.userDataBase64));
    before = /^# certificates: sha256:[0-9a-f]{64}$/m.exec(userData)?.[0] ?? "";
    assert.ok(before !== "", `${instanceName}'s user data has no certificates fingerprint line`);
    after = `# certificates: sha256:${"0".repeat(64)}`;
    const renewed = userData.replace(before, after);
    return { ...resource, inputs: { ...resource.inputs, userDataBase64: encodeUserData(instanceName, renewed) } };
  });
  return { run: { ...run, resources }, before, after };
}

/**
 * The run with one instance's rendered etcd configuration edited (`from` → `to`), as the program
 * would declare it: the member's bundle re-packed under its new digest, the user data pinning it.
 */
function withEditedMember(run: ProgramRun, instanceName: string, from: string, to: string): ProgramRun {
  const instance = run.resources.find((resource) => resource.name === instanceName)!;
  const userData = memberCloudConfig(recordedText(instance.inputs.userDataBase64));
  const reference = bundleReference(userData);
  const files = bundleArchiveFiles(memberBundleArchive(run, userData));
  assert.ok(
    files.some((file) => file.content.includes(from)),
    `${instanceName}'s bundle has no "${from}"`,
  );
  const edited = packMemberBundle(files.map((file) => ({ path: file.path, mode: file.permissions as MemberFile["mode"], content: file.content.replace(from, to) })));
  const resources = run.resources.map((resource): RecordedResource => {
    if (resource.type === BUNDLE_OBJECT_TYPE && resource.inputs.key === reference.key) {
      const key = reference.key.replace(reference.sha256, edited.sha256);
      return { ...resource, inputs: { ...resource.inputs, key, contentBase64: Buffer.from(edited.archive).toString("base64") } };
    }
    if (resource !== instance) return resource;
    return { ...resource, inputs: { ...resource.inputs, userDataBase64: encodeUserData(instanceName, userData.replaceAll(reference.sha256, edited.sha256)) } };
  });
  return { ...run, resources };
}

describe("plan diff of two runs", () => {
  it("prints only the summary when nothing changes", async () => {
    const run = await programRun("dev", "update");
    assert.equal(renderPlanDiff("dev", run, run, LABELS), "stack dev: no changes\n");
  });

  it("shows exactly the member whose certificates were renewed: its header diff and its instance and attachments replaced", async () => {
    const run = await programRun("dev", "update");
    const renewal = withRenewedCertificates(run, "etcd-dev-member-1-instance");
    const diff = renderPlanDiff("dev", run, renewal.run, LABELS);
    const headings = diff.split("\n").filter((line) => line.startsWith("== "));
    assert.deepEqual(headings, ["== 2. member etcd-dev-1 (instance etcd-dev-member-1-instance): replaced =="]);
    assert.match(diff, /^--- \(cloud-config header\) \(base\)\n\+\+\+ \(cloud-config header\) \(head\)$/m);
    assert.deepEqual(
      diff.split("\n").filter((line) => /^[-+][^-+]/.test(line)),
      [`-${renewal.before}`, `+${renewal.after}`],
    );
    const replaced = diff.split("\n").filter((line) => line.startsWith("  etcd-dev-") && !line.includes("health-gate"));
    assert.deepEqual(replaced, [
      "  etcd-dev-member-1-instance (aws:ec2/instance:Instance): userDataBase64",
      "  etcd-dev-member-1-data-attachment (aws:ec2/volumeAttachment:VolumeAttachment): instanceId (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-wal-attachment (aws:ec2/volumeAttachment:VolumeAttachment): instanceId (new ID of etcd-dev-member-1-instance)",
      // The member's alarms follow its new instance (their InstanceId dimension), in place.
      "  etcd-dev-member-1-status-check (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-data-stalled-io (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-wal-stalled-io (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
    ]);
    assert.match(diff, /^ {2}etcd-dev-member-1-health-gate \(command:local:Command\): environment \(new ID of etcd-dev-member-1-instance\)$/m);
    assert.match(diff, /^stack dev: 1 member\(s\) change, 3 resource\(s\) replaced, 4 updated in place, 0 created, 0 deleted$/m);
  });

  it("shows exactly the member whose bundle changed: its file diff, its bundle, instance and attachments replaced", async () => {
    const run = await programRun("dev", "update");
    const edited = withEditedMember(run, "etcd-dev-member-1-instance", "snapshot-count: 10000", "snapshot-count: 20000");
    const diff = renderPlanDiff("dev", run, edited, LABELS);
    const headings = diff.split("\n").filter((line) => line.startsWith("== "));
    assert.deepEqual(headings, ["== 2. member etcd-dev-1 (instance etcd-dev-member-1-instance): replaced =="]);
    assert.match(diff, /^--- \/etc\/etcd\/etcd\.conf\.yml \(0\d+\) \(base\)\n\+\+\+ \/etc\/etcd\/etcd\.conf\.yml \(0\d+\) \(head\)$/m);
    assert.deepEqual(
      diff.split("\n").filter((line) => /^[-+][^-+]/.test(line)),
      ["-snapshot-count: 10000", "+snapshot-count: 20000"],
    );
    const replaced = diff.split("\n").filter((line) => line.startsWith("  etcd-dev-") && !line.includes("health-gate"));
    assert.deepEqual(replaced, [
      "  etcd-dev-member-1-bundle (aws:s3/bucketObjectv2:BucketObjectv2): key",
      "  etcd-dev-member-1-instance (aws:ec2/instance:Instance): userDataBase64",
      "  etcd-dev-member-1-data-attachment (aws:ec2/volumeAttachment:VolumeAttachment): instanceId (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-wal-attachment (aws:ec2/volumeAttachment:VolumeAttachment): instanceId (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-status-check (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-data-stalled-io (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
      "  etcd-dev-member-1-wal-stalled-io (aws:cloudwatch/metricAlarm:MetricAlarm): dimensions (new ID of etcd-dev-member-1-instance)",
    ]);
    assert.match(diff, /^stack dev: 1 member\(s\) change, 4 resource\(s\) replaced, 4 updated in place, 0 created, 0 deleted$/m);
  });
});

describe("npm run plan -- <stack> --diff <ref>", () => {
  let repo = "";

  function plan(...args: string[]): string {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { cwd: repo, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  }

  before(() => {
    // This checkout's files (committed or not, ignored ones left out) as the one commit of a scratch repository.
    repo = mkdtempSync(path.join(tmpdir(), "etcd-plan-diff-"));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_DIR })
      .toString()
      .split("\0")
      .filter((file) => file !== "" && spawnSync("test", ["-f", path.join(PROJECT_DIR, file)]).status === 0);
    for (const file of files) {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      cpSync(path.join(PROJECT_DIR, file), path.join(repo, file));
    }
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args], { cwd: repo, stdio: "ignore" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    // After the commit: .gitignore's `node_modules/` does not match a symlink.
    symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(repo, "node_modules"), "dir");
  });

  after(() => rmSync(repo, { recursive: true, force: true }));

  it("prints no change against the commit the working tree equals", () => {
    assert.equal(plan("dev", "--diff", "HEAD"), "stack dev: no changes\n");
  });

  it("after a stack setting changes, shows every member in rollout order with its diff and replacement", () => {
    const stackFile = path.join(repo, "stacks", "Pulumi.dev.yaml");
    writeFileSync(stackFile, `${readFileSync(stackFile, "utf8")}  etcd-cluster:tuning:\n    snapshotCount: 25000\n`);
    const diff = plan("dev", "--diff", "HEAD");
    const headings = diff.split("\n").filter((line) => line.startsWith("== "));
    assert.deepEqual(headings, [
      "== 1. member etcd-dev-0 (instance etcd-dev-member-0-instance): replaced ==",
      "== 2. member etcd-dev-1 (instance etcd-dev-member-1-instance): replaced ==",
      "== 3. member etcd-dev-2 (instance etcd-dev-member-2-instance): replaced ==",
    ]);
    assert.equal(diff.split("\n").filter((line) => line === "+snapshot-count: 25000").length, 3);
    assert.match(diff, /^--- \/etc\/etcd\/etcd\.conf\.yml \(0\d+\) \(HEAD\)$/m);
    assert.match(diff, /^\+\+\+ \/etc\/etcd\/etcd\.conf\.yml \(0\d+\) \(this checkout\)$/m);
  });

  it("lists the stacks for the workflows to loop over", () => {
    assert.equal(
      plan("--list-stacks"),
      stackNames()
        .map((stack) => `${stack}\n`)
        .join(""),
    );
  });

  it("refuses a ref that names no commit", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/plan.ts", "dev", "--diff", "no-such-ref"], { cwd: repo, encoding: "utf8" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--diff no-such-ref: not a commit in this repository/);
  });
});
