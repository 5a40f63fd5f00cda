/**
 * The members' defragmentation as each stack declares it: every member's bundle installs the
 * defrag script (with the member's own backend quota) and its timer, in a daily slot of its own.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { TAG_KEYS } from "../../src/core/aws/tags";
import { DEFRAG_TIMER_NAME, defragSchedule } from "../../src/core/member/defrag-units";
import { DEFRAG_SCRIPT_PATH } from "../../src/core/member/ports-and-paths";
import { possibleMemberNames } from "../../src/core/etcd/topology";
import { memberFiles } from "../../dev/mock-runtime/received-files";
import { resourcesOfType, tagOf, TYPES } from "../support/resource-graph";
import { describeEachStackRun } from "../support/stack-runs";
import { recordedText } from "../../dev/mock-runtime/recorded-value";

describeEachStackRun(
  "defragmentation",
  ({ config, run }) => {
    it("installs on every member the defrag script and its timer", () => {
      const instances = resourcesOfType(run(), TYPES.instance);
      assert.equal(instances.length, config.members);
      for (const instance of instances) {
        const files = memberFiles(run(), instance);
        assert.equal(files.find((file) => file.path === DEFRAG_SCRIPT_PATH)?.permissions, "0755", instance.name);
        assert.ok(
          files.some((file) => file.path === `/etc/systemd/system/${DEFRAG_TIMER_NAME}`),
          instance.name,
        );
      }
    });

    it("gives every member the daily slot of its index, so no two members defragment together", () => {
      const slots = resourcesOfType(run(), TYPES.instance).map((instance) => {
        const member = recordedText(tagOf(instance, TAG_KEYS.member));
        const timer = memberFiles(run(), instance).find((file) => file.path === `/etc/systemd/system/${DEFRAG_TIMER_NAME}`);
        const index = possibleMemberNames(config.clusterName).indexOf(member);
        assert.ok(timer?.content.includes(`\nOnCalendar=${defragSchedule(index)}\n`), member);
        return defragSchedule(index);
      });
      assert.equal(new Set(slots).size, config.members);
    });
  },
  ["update"],
);
