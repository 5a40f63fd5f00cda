/** Rules about the member set: its size and its spread over availability zones. */
import { faultTolerance, faultToleranceLine, MAX_MEMBERS, quorumSize, zonesNeededForAzLoss } from "../etcd/topology";
import { errorFinding, NO_FINDINGS, warningFinding, type RuleFindings } from "./findings";
import { configKey, configProblem } from "./keys";
import type { ClusterConfig } from "./types";

/** Sizes refused on their own: below 1, even (no tolerance gained, a larger quorum), above 7. */
export function memberCountProblem(members: number): string | undefined {
  if (members < 1) {
    return `a cluster needs at least one member; set 3 (${faultToleranceLine(3)})`;
  }
  if (members > MAX_MEMBERS) {
    return (
      `above ${MAX_MEMBERS}: every write waits for a quorum of ${quorumSize(members)} for little gain; ` +
      `set 5 (${faultToleranceLine(5)}) or 7 (${faultToleranceLine(7)})`
    );
  }
  if (members % 2 === 0) {
    const smaller = members - 1;
    const larger = members + 1;
    return (
      `an even size tolerates ${faultTolerance(members)} failed ${faultTolerance(members) === 1 ? "member" : "members"}, ` +
      `no more than ${smaller}, with a larger quorum (${quorumSize(members)}); ` +
      `set ${smaller} (${faultToleranceLine(smaller)}) or ${larger} (${faultToleranceLine(larger)})`
    );
  }
  return undefined;
}

/** One member is a cluster that loses everything with one disk: only where the stack says so. */
export function checkSingleMember(config: Pick<ClusterConfig, "members" | "allowSingleMember">): RuleFindings {
  if (config.members !== 1 || config.allowSingleMember) return NO_FINDINGS;
  return errorFinding(
    configProblem(
      ["members"],
      config.members,
      `a single member tolerates no failure; set 3, or set ${configKey(["allowSingleMember"])} to true for a throw-away dev or test cluster`,
    ),
  );
}

/**
 * Members are placed round-robin over the subnets (one AZ each): with fewer subnets than
 * zonesNeededForAzLoss, one AZ holds more members than the cluster can lose. A warning, except
 * where the stack protects its data.
 */
export function checkZoneSpread(config: Pick<ClusterConfig, "members" | "subnetIds" | "protectData">): RuleFindings {
  const needed = zonesNeededForAzLoss(config.members);
  const given = config.subnetIds.length;
  if (given >= needed) return NO_FINDINGS;
  const reasonAndFix =
    `${config.members} members need subnets in ${needed} AZs so that losing one AZ keeps a quorum of ` +
    `${quorumSize(config.members)}, but ${given} ${given === 1 ? "is" : "are"} listed; add subnets in other AZs, one per AZ, up to ${needed}`;
  if (config.protectData) {
    return errorFinding(configProblem(["subnetIds"], config.subnetIds, `${reasonAndFix} (an error because ${configKey(["protectData"])} is true)`));
  }
  return warningFinding(configProblem(["subnetIds"], config.subnetIds, reasonAndFix));
}
