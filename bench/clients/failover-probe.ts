/**
 * The failover probe, run in a cluster's hub namespace before the leader is killed: it connects to
 * the surviving members, learns the current leader, prints `ready`, and waits for one stdin line
 * holding the kill time (epoch ms). From then it polls each survivor's status for a new leader and
 * tries a write, both every few milliseconds, and prints the milliseconds from the kill to each.
 *
 * Usage: node --import tsx failover-probe.ts '<HubClientOptions of the survivors as JSON>'
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { hubArgument, hubClient, runHubMain, type HubClientOptions } from "./client-options";

export interface FailoverResult {
  /** From the kill until a survivor names a new leader. */
  readonly newLeaderMs: number;
  /** From the kill until a write through the survivors is acknowledged. */
  readonly writeMs: number;
}

const REQUEST_DEADLINE_MS = 200;
const RETRY_PAUSE_MS = 5;
/** Give up after this long: a cluster that never recovers ends the run. */
const GIVE_UP_AFTER_MS = 30_000;

const pause = () => new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));

async function main(options: HubClientOptions): Promise<FailoverResult> {
  const perMember = options.endpoints.map((endpoint) => hubClient(options, [endpoint]));
  const all = hubClient(options);
  const oldLeader = (await perMember[0].maintenance.status()).leader;
  await all.put("bench/failover/warm-up").value("1");
  process.stdout.write("ready\n");
  const [line] = (await once(createInterface({ input: process.stdin }), "line")) as [string];
  const killedAt = Number(line);
  const giveUp = () => {
    if (Date.now() - killedAt > GIVE_UP_AFTER_MS) throw new Error(`no recovery within ${GIVE_UP_AFTER_MS} ms`);
  };

  const newLeader = async (): Promise<number> => {
    for (;;) {
      giveUp();
      const leaders = await Promise.all(
        perMember.map((client) =>
          client.maintenance.status({ deadline: Date.now() + REQUEST_DEADLINE_MS }).then(
            (status) => status.leader,
            () => undefined,
          ),
        ),
      );
      if (leaders.some((leader) => leader !== undefined && leader !== "0" && leader !== oldLeader)) return Date.now() - killedAt;
      await pause();
    }
  };
  const write = async (): Promise<number> => {
    for (;;) {
      giveUp();
      try {
        await all
          .put("bench/failover/probe")
          .value(String(killedAt))
          .options({ deadline: Date.now() + REQUEST_DEADLINE_MS });
        return Date.now() - killedAt;
      } catch {
        await pause();
      }
    }
  };
  const [newLeaderMs, writeMs] = await Promise.all([newLeader(), write()]);
  for (const client of [...perMember, all]) client.close();
  return { newLeaderMs, writeMs };
}

runHubMain("failover-probe", () => main(hubArgument<HubClientOptions>("usage: failover-probe.ts '<HubClientOptions JSON>'")));
