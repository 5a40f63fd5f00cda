/**
 * The end of a member's boot (finish-boot.sh beside this file): the promote step and the completion
 * marker once the boot started etcd and etcd is healthy. The boot script runs it, and so does the
 * member's health gate, so a boot that stopped after starting etcd is finished once etcd is healthy;
 * a boot that stopped before is reported as failed for good (BOOT_FAILED_STATUS). The boot's health
 * wait and the `started` gate ask etcd's /health through it too (`--health`, `--started`).
 */
import { metricsUrl } from "../endpoints";
import { BOOT_COMPLETE_MARKER, BOOT_FAILED_MARKER, BOOT_FAILED_STATUS, ETCD_STARTED_MARKER, JOIN_CLUSTER_SCRIPT_PATH, LOOPBACK_IP } from "../ports-and-paths";
import { shellQuote } from "../../formats/shell-quote";
import { scriptWithSettings } from "./member-script-source";

/** finish-boot.sh with its settings (the same on every member) as readonly lines after its shebang. */
export function renderFinishBootScript(): string {
  const setting = (name: string, value: string) => `readonly ${name}=${shellQuote(value)}`;
  return scriptWithSettings("finish-boot.sh", "finish-boot-script.ts", [
    setting("BOOT_COMPLETE_MARKER", BOOT_COMPLETE_MARKER),
    setting("ETCD_STARTED_MARKER", ETCD_STARTED_MARKER),
    setting("BOOT_FAILED_MARKER", BOOT_FAILED_MARKER),
    `readonly BOOT_FAILED_STATUS=${BOOT_FAILED_STATUS}`,
    setting("HEALTH_URL", `${metricsUrl(LOOPBACK_IP)}/health`),
    setting("JOIN_CLUSTER", JOIN_CLUSTER_SCRIPT_PATH),
  ]);
}
