/**
 * The snapshot a restore story starts from: a throw-away single etcd (plaintext, on loopback ports
 * of its own network namespace's host) takes `SEED_KEYS` keys under `seed/`, and `etcdctl snapshot
 * save` writes the file, as a backup of another cluster would.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { onCleanup, runScopedName } from "../../../dev/local-cluster/cleanup";
import { etcdBinaries } from "../../../dev/local-cluster/etcd-binaries";
import { LoopbackNetwork } from "../../../dev/local-cluster/loopback-network";
import { execInNamespace, expectOk } from "../../../dev/local-cluster/namespace-exec";

export const SEED_KEYS = 20;
const SEED_ADDRESS = "127.0.0.9";

/** Writes a snapshot holding seed/00..seed/19 to `dir`/seed.db and returns its path. */
export async function seedSnapshot(dir: string): Promise<string> {
  const network = new LoopbackNetwork("seed");
  const namespace = network.addHost(SEED_ADDRESS);
  const client = `http://${SEED_ADDRESS}:2379`;
  const binaries = etcdBinaries();
  const etcd = spawn(
    "ip",
    [
      "netns",
      "exec",
      namespace,
      binaries.etcd,
      "--name",
      runScopedName("seed"),
      "--data-dir",
      join(dir, "seed-etcd"),
      "--listen-client-urls",
      client,
      "--advertise-client-urls",
      client,
      "--listen-peer-urls",
      `http://${SEED_ADDRESS}:2380`,
      "--initial-advertise-peer-urls",
      `http://${SEED_ADDRESS}:2380`,
      "--initial-cluster",
      `${runScopedName("seed")}=http://${SEED_ADDRESS}:2380`,
    ],
    { stdio: "ignore" },
  );
  const kill = onCleanup(() => etcd.kill("SIGKILL"));
  try {
    const etcdctl = (...args: string[]) => execInNamespace(namespace, [binaries.etcdctl, `--endpoints=${client}`, "--command-timeout=3s", ...args]);
    for (let attempt = 0; !(await etcdctl("endpoint", "health")).ok; attempt++) {
      if (attempt > 100) throw new Error("the seed etcd did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let index = 0; index < SEED_KEYS; index++) expectOk(await etcdctl("put", `seed/${String(index).padStart(2, "0")}`, "seeded"), "seed put");
    const file = join(dir, "seed.db");
    expectOk(await etcdctl("snapshot", "save", file), "snapshot save");
    return file;
  } finally {
    kill();
    network.destroy();
  }
}
