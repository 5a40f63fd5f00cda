import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { planCluster, type MemberPlan } from "../../../src/core/plan/cluster-plan";
import { rolloutOrder, type LiveMemberInstance } from "../../../src/core/plan/rollout-order";
import { configWith } from "../config/fixtures";

const membersOf = (count: number) => planCluster(resolveClusterConfig(configWith({ clusterName: "etcd-prod", members: count }), "prod").config).members;
const running = (...indexes: number[]): LiveMemberInstance[] => indexes.map((index) => ({ memberName: `etcd-prod-${index}`, state: "running" }));
const orderOf = (members: readonly MemberPlan[], live: readonly LiveMemberInstance[]) => rolloutOrder(members, live).map((member) => member.index);

describe("rolloutOrder", () => {
  test("a new cluster (no instance at all) rolls in index order", () => {
    assert.deepEqual(orderOf(membersOf(5), []), [0, 1, 2, 3, 4]);
  });

  test("a running cluster rolls in index order", () => {
    assert.deepEqual(orderOf(membersOf(3), running(0, 1, 2)), [0, 1, 2]);
  });

  test("an interrupted rollout's retry: member 1 has no instance, so it rolls first, then 0 and 2", () => {
    assert.deepEqual(orderOf(membersOf(3), running(0, 2)), [1, 0, 2]);
  });

  for (const state of ["pending", "stopping", "stopped"]) {
    test(`an instance ${state} is not running: its member rolls first`, () => {
      const live = [...running(0, 1, 3, 4), { memberName: "etcd-prod-2", state }];
      assert.deepEqual(orderOf(membersOf(5), live), [2, 0, 1, 3, 4]);
    });
  }

  test("several members not running roll first in index order", () => {
    assert.deepEqual(orderOf(membersOf(5), [...running(1, 2), { memberName: "etcd-prod-4", state: "stopped" }]), [0, 3, 4, 1, 2]);
  });

  test("a scale-up 3 → 5: the new members (no instance yet) join before a running member is disrupted", () => {
    assert.deepEqual(orderOf(membersOf(5), running(0, 1, 2)), [3, 4, 0, 1, 2]);
  });

  test("a shrink 5 → 3: the leaving members' instances decide nothing, the staying ones roll in index order", () => {
    assert.deepEqual(orderOf(membersOf(3), running(0, 1, 2, 3, 4)), [0, 1, 2]);
  });

  test("an instance without a member tag, or of another member name, counts for no member", () => {
    const live = [{ memberName: undefined, state: "running" }, { memberName: "etcd-other-1", state: "running" }, ...running(0, 2)];
    assert.deepEqual(orderOf(membersOf(3), live), [1, 0, 2]);
  });

  test("each member rolls after every member of a smaller index, or that member runs: what the bootstrap gate conditions count on", () => {
    const members = membersOf(5);
    const states = ["running", "stopped", undefined] as const;
    // Every combination of running, stopped and missing over five members.
    for (let combination = 0; combination < states.length ** members.length; combination += 1) {
      const live = members.flatMap((member): LiveMemberInstance[] => {
        const state = states[Math.floor(combination / states.length ** member.index) % states.length];
        return state === undefined ? [] : [{ memberName: member.name, state }];
      });
      const runs = new Set(live.filter((instance) => instance.state === "running").map((instance) => instance.memberName));
      const order = rolloutOrder(members, live);
      order.forEach((member, position) => {
        const before = new Set(order.slice(0, position).map((earlier) => earlier.index));
        for (const smaller of members.filter((other) => other.index < member.index)) {
          assert.ok(before.has(smaller.index) || runs.has(smaller.name), `${JSON.stringify(live)}: ${member.name} before ${smaller.name}`);
        }
      });
    }
  });
});
