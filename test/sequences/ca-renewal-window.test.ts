/**
 * Story (issue 13, item 8): an up runs while the CA is inside its early-renewal window. Today the
 * tls provider re-issues the CA (and so every certificate) and every member restarts trusting only
 * the new CA certificate. That certificate has the old one's key and subject (the CA's private key
 * is a resource of its own and is not renewed), so old and new verify the same certificates: the
 * rollout keeps every member in one cluster and the old clients working, as this story shows.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { realTls } from "../../dev/mock-runtime/real-tls";
import { renewingTls, type RenewalClock } from "../../dev/sequence-drill/renewal-clock-tls";
import { playStory } from "./support/story";

/** The dev stack's CA validity and early renewal (config defaults: 10 years, 30 days). */
const CA_VALIDITY_HOURS = 87_600;
const EARLY_RENEWAL_HOURS = 720;

describe("the CA inside its renewal window", () => {
  it("an up keeps every member in one cluster with its clients", async () => {
    const clock: RenewalClock = { hoursAhead: 0 };
    await playStory(
      "ca",
      { members: 3 },
      async ({ drill, finish }) => {
        clock.hoursAhead = CA_VALIDITY_HOURS - EARLY_RENEWAL_HOURS / 2;
        drill.print(`the clock moves ${clock.hoursAhead} hours ahead: the CA is inside its renewal window`);
        const up = await drill.up({ members: 3 }, "an up inside the CA's renewal window");
        assert.equal(up.ok, true, up.failure);
        await finish();
      },
      { tls: renewingTls(realTls(), clock) },
    );
  });
});
