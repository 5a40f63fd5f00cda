import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../../src/core/config";
import { configWith, onlyProblemOf } from "./fixtures";

describe("tags: only what every tagging API the program calls accepts", () => {
  it("refuses a reserved aws: tag key", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tags: { "aws:team": "platform" } })), {
      key: "etcd-cluster:tags.aws:team",
      message: 'etcd-cluster:tags.aws:team is "platform": tag keys starting with "aws:" are reserved for AWS; rename the tag',
    });
  });

  it("refuses a tag key the project sets itself, which would be overwritten", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tags: { "etcd:cluster": "other" } })), {
      key: "etcd-cluster:tags.etcd:cluster",
      message: 'etcd-cluster:tags.etcd:cluster is "other": the project sets "Name" and the "etcd:" tags itself ' + "(cluster, member, volume role); rename the tag",
    });
  });

  it("refuses a value with parentheses, which IAM, SSM and S3 refuse mid-deployment", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tags: { team: "Platform (EU)" } })), {
      key: "etcd-cluster:tags.team",
      message:
        'etcd-cluster:tags.team is "Platform (EU)": IAM, SSM and S3 would refuse the value\'s "(", ")": a tag value may ' +
        "hold only letters, digits, spaces and _ . : / = + - @; replace them",
    });
  });

  it("refuses a key with a space, which Data Lifecycle Manager refuses", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tags: { "cost center": "42" } })), {
      key: "etcd-cluster:tags.cost center",
      message:
        'etcd-cluster:tags.cost center is "42": Data Lifecycle Manager, IAM or SSM would refuse the key\'s " ": a tag key ' +
        "may hold only ASCII letters, digits and _ . : / = + -; rename the tag",
    });
  });

  it("refuses a key with @ or a non-ASCII letter, which Data Lifecycle Manager refuses", () => {
    assert.match(onlyProblemOf(configWith({ tags: { "owner@team": "x" } })).message, /refuse the key's "@"/);
    assert.match(onlyProblemOf(configWith({ tags: { équipe: "x" } })).message, /refuse the key's "é"/);
  });

  it("refuses an empty value, which SSM refuses", () => {
    assert.deepEqual(onlyProblemOf(configWith({ tags: { flag: "" } })), {
      key: "etcd-cluster:tags.flag",
      message: 'etcd-cluster:tags.flag is "": SSM refuses an empty tag value; set a value or remove the tag',
    });
  });

  it("refuses more tags than fit next to the program's own within AWS's 50 per resource", () => {
    const tags = Object.fromEntries(Array.from({ length: 47 }, (_, index) => [`tag-${index}`, "x"]));
    const problem = onlyProblemOf(configWith({ tags }));
    assert.equal(problem.key, "etcd-cluster:tags");
    assert.match(
      problem.message,
      /: 47 tags: AWS allows 50 per resource and the program adds up to 4 of its own \(Name, etcd:cluster, etcd:member, etcd:volume\); keep at most 46$/,
    );
  });

  it("accepts letters of any script, digits, spaces and _ . : / = + - @ in values", () => {
    const tags = { "team_name.v2:unit/a=b+c-d": "Équipe 日本 42 _.:/=+-@" };
    assert.deepEqual(resolveClusterConfig(configWith({ tags }), "test").config.tags, tags);
  });
});
