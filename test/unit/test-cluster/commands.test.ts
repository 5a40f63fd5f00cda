/**
 * create, destroy and sweep, with the Pulumi stack operations and the snapshot store replaced by
 * doubles that record every call: what each command does, in which order, and what it refuses
 * before it changes anything.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { parse } from "yaml";
import { stackFilePath } from "../../../dev/mock-runtime/stack-files";
import type { SnapshotStore } from "../../../dev/test-cluster/cluster-snapshots";
import { createTestCluster, destroyTestCluster, sweepTestClusters, type CommandContext } from "../../../dev/test-cluster/commands";
import type { TestClusterStacks } from "../../../dev/test-cluster/pulumi-stacks";
import type { StateResource } from "../../../dev/test-cluster/state-identity";
import type { StackWithTags } from "../../../dev/test-cluster/sweep-selection";

const NOW = new Date("2026-12-03T12:00:00Z");

/** A state as `pulumi stack export` holds it for a deployed test cluster. */
function deployedState(cluster: string, options: { protect?: boolean } = {}): StateResource[] {
  return [
    { urn: "urn:pulumi:s::etcd-cluster::pulumi:providers:aws::default", type: "pulumi:providers:aws", inputs: { region: "eu-west-1" } },
    {
      urn: `urn:pulumi:s::etcd-cluster::aws:ebs/volume:Volume::${cluster}-member-0-data`,
      type: "aws:ebs/volume:Volume",
      inputs: { tags: { "etcd:cluster": cluster } },
      protect: options.protect ?? false,
    },
  ];
}

class Recorder {
  readonly calls: string[] = [];
  states = new Map<string, StateResource[]>();
  listed: StackWithTags[] = [];
  failDestroyOf = new Set<string>();

  stacks(): TestClusterStacks {
    const record = (call: string): Promise<void> => {
      this.calls.push(call);
      return Promise.resolve();
    };
    return {
      createOrSelect: (stack, tags) => record(`createOrSelect ${stack} ${JSON.stringify(tags)}`),
      up: (stack) => record(`up ${stack}`),
      list: () => record("list").then(() => this.listed),
      stateResources: (stack) => record(`state ${stack}`).then(() => this.states.get(stack) ?? []),
      destroy: (stack) => {
        const recorded = record(`destroy ${stack}`);
        return this.failDestroyOf.has(stack) ? Promise.reject(new Error("resource in use")) : recorded;
      },
      remove: (stack) => record(`remove ${stack}`),
    };
  }

  snapshots(region: string): SnapshotStore {
    return {
      list: (cluster) => {
        this.calls.push(`snapshots list ${region} ${cluster}`);
        return Promise.resolve([{ id: "snap-1", tags: { "etcd:cluster": cluster, "aws:dlm:lifecycle-policy-id": "p" } }]);
      },
      delete: (id) => {
        this.calls.push(`snapshots delete ${id}`);
        return Promise.resolve();
      },
    };
  }
}

describe("test-cluster commands", () => {
  let stacksDir = "";
  let recorder: Recorder;
  let context: CommandContext;

  beforeEach(() => {
    stacksDir = mkdtempSync(path.join(tmpdir(), "etcd-test-cluster-"));
    copyFileSync(stackFilePath("dev"), path.join(stacksDir, "Pulumi.dev.yaml"));
    recorder = new Recorder();
    context = {
      stacks: () => Promise.resolve(recorder.stacks()),
      snapshots: (region) => recorder.snapshots(region),
      now: () => NOW,
      log: () => undefined,
      stacksDir,
    };
  });

  afterEach(() => rmSync(stacksDir, { recursive: true, force: true }));

  it("create writes the stack file, tags the stack with its expiry before pulumi up, then runs it", async () => {
    assert.equal(await createTestCluster(context, "pr-7", "24h"), "test-pr-7");
    assert.deepEqual(recorder.calls, [
      'createOrSelect test-pr-7 {"test-cluster:expires-at":"2026-12-04T12:00:00Z","test-cluster:created-from":"dev"}',
      "up test-pr-7",
    ]);
    const written = parse(readFileSync(path.join(stacksDir, "Pulumi.test-pr-7.yaml"), "utf8")) as { config: Record<string, unknown> };
    assert.equal((written.config["etcd-cluster:tags"] as Record<string, string>)["expires-at"], "2026-12-04T12:00:00Z");
  });

  it("create refuses a bad lifetime before anything exists", async () => {
    await assert.rejects(createTestCluster(context, "pr-7", "30d"), /--expires-in 30d/);
    assert.deepEqual(recorder.calls, []);
    assert.equal(existsSync(path.join(stacksDir, "Pulumi.test-pr-7.yaml")), false);
  });

  it("destroy destroys, deletes the cluster's DLM snapshots in its region, then removes the stack and its file", async () => {
    recorder.states.set("test-pr-7", deployedState("etcd-test-pr-7"));
    await createTestCluster(context, "pr-7", "24h");
    recorder.calls.length = 0;
    await destroyTestCluster(context, "test-pr-7");
    assert.deepEqual(recorder.calls, [
      "state test-pr-7",
      "destroy test-pr-7",
      "snapshots list eu-west-1 etcd-test-pr-7",
      "snapshots delete snap-1",
      "remove test-pr-7",
    ]);
    assert.equal(existsSync(path.join(stacksDir, "Pulumi.test-pr-7.yaml")), false);
  });

  it("destroy refuses a stack with protected resources before destroying anything, naming protectData", async () => {
    recorder.states.set("test-pr-7", deployedState("etcd-test-pr-7", { protect: true }));
    await assert.rejects(destroyTestCluster(context, "test-pr-7"), /refusing to destroy stack test-pr-7: it was deployed with etcd-cluster:protectData: true/);
    assert.deepEqual(recorder.calls, ["state test-pr-7"]);
  });

  it("destroy refuses a stack not named test-<name> without asking Pulumi anything", async () => {
    await assert.rejects(destroyTestCluster(context, "prod"), /refusing to destroy stack prod: npm run test-cluster destroys only test-<name> stacks/);
    assert.deepEqual(recorder.calls, []);
  });

  it("sweep destroys the expired test stacks, carries on past a failure, and reports it", async () => {
    recorder.listed = [
      { name: "acme/test-old", tags: { "test-cluster:expires-at": "2026-12-01T00:00:00Z" } },
      { name: "acme/test-stuck", tags: { "test-cluster:expires-at": "2026-12-02T00:00:00Z" } },
      { name: "acme/test-fresh", tags: { "test-cluster:expires-at": "2026-12-05T00:00:00Z" } },
      { name: "acme/dev", tags: { "test-cluster:expires-at": "2026-12-01T00:00:00Z" } },
    ];
    recorder.states.set("test-old", deployedState("etcd-test-old"));
    recorder.failDestroyOf.add("test-stuck");
    const failures = await sweepTestClusters(context);
    assert.deepEqual(failures, ["acme/test-stuck: resource in use"]);
    assert.deepEqual(
      recorder.calls.filter((call) => call.startsWith("destroy") || call.startsWith("remove")),
      ["destroy test-old", "remove test-old", "destroy test-stuck"],
    );
  });
});
