import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTryOptions, TryOptionsError } from "../../dev/try/options";

const STACKS = ["dev", "prod", "staging"];

/** The message of the TryOptionsError `args` are refused with. */
function refusal(args: readonly string[]): string {
  try {
    parseTryOptions(args, STACKS);
  } catch (error) {
    assert.ok(error instanceof TryOptionsError, `expected a TryOptionsError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${args.join(" ")} was accepted`);
}

describe("npm run try: command line", () => {
  it("without arguments boots the dev stack at its own size and tears it down", () => {
    assert.deepEqual(parseTryOptions([], STACKS), { stack: "dev", members: undefined, keep: false });
  });

  it("takes a stack, a member count and --keep, in either flag form", () => {
    assert.deepEqual(parseTryOptions(["--stack", "staging", "--members=5", "--keep"], STACKS), { stack: "staging", members: 5, keep: true });
  });

  it("refuses an even member count, naming the odd sizes on either side", () => {
    assert.equal(
      refusal(["--members", "4"]),
      "--members 4: an even size tolerates 1 failed member, no more than 3, with a larger quorum (3); " +
        "set 3 (3 members: quorum 2, tolerates 1 failed member) or 5 (5 members: quorum 3, tolerates 2 failed members)",
    );
  });

  it("refuses a single member, which tolerates no failure", () => {
    assert.equal(refusal(["--members", "1"]), "--members 1: the try script boots 3, 5 or 7 members");
  });

  it("refuses more than 7 members", () => {
    assert.match(refusal(["--members", "9"]), /^--members 9: above 7: every write waits for a quorum of 5/);
  });

  it("refuses a member count that is not a whole number", () => {
    assert.equal(refusal(["--members", "three"]), "--members three: not a whole number; use 3, 5 or 7");
  });

  it("refuses a stack without a stack file, listing those that exist", () => {
    assert.equal(refusal(["--stack", "qa"]), "--stack qa: no stacks/Pulumi.qa.yaml; stacks: dev, prod, staging");
  });

  it("refuses an unknown flag with the usage line", () => {
    assert.equal(refusal(["--member", "3"]), "Unknown option '--member'\nusage: npm run try -- [--stack <name>] [--members 3|5|7] [--keep]");
  });

  it("refuses a bare argument with the usage line", () => {
    assert.match(refusal(["dev"]), /\nusage: npm run try -- /);
  });
});
