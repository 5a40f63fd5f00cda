/** Rules about the member image. */
import { errorFinding, NO_FINDINGS, type RuleFindings } from "./findings";
import { configKey, configProblem } from "./keys";
import type { ClusterConfig } from "./types";

/**
 * The health gates reach members through SSM Run Command (`aws ssm send-command`) and operators
 * through Session Manager: both need the SSM agent on the image. Amazon Linux 2023 ships it;
 * Debian's cloud images do not (AWS's list of images with the agent preinstalled has no Debian).
 * With the vendor's Debian image every `pulumi up` would stop at the first health gate, so that
 * combination is refused; an explicit `ami` (e.g. a Debian image with amazon-ssm-agent baked in)
 * is the user's statement that the agent is there.
 */
export function checkImageRunsSsmAgent(config: Pick<ClusterConfig, "osImage" | "ami">): RuleFindings {
  if (config.osImage !== "debian13" || config.ami !== undefined) return NO_FINDINGS;
  return errorFinding(
    configProblem(
      ["osImage"],
      config.osImage,
      "Debian's images ship no SSM agent, so the health gates (aws ssm send-command) and Session Manager " +
        `cannot reach the members; set it to "al2023", or set ${configKey(["ami"])} to a Debian 13 image with amazon-ssm-agent installed`,
    ),
  );
}
