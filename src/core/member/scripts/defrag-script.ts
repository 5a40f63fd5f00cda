import { localEtcdctlSettings } from "./script-shell";
import { scriptWithSettings } from "./member-script-source";
import { shellQuote } from "../../formats/shell-quote";
import type { EtcdHostPaths } from "../ports-and-paths";

const MiB = 1024 ** 2;

/**
 * A defrag is worth its pause when at least this share of the backend file is free (dbSize minus
 * dbSizeInUse, after compaction): below it the file shrinks little and bbolt reuses the free pages
 * for new writes anyway.
 */
export const DEFRAG_MIN_FREE_PERCENT = 30;

/**
 * …and at least this many bytes are free: a small database has a large free share after almost any
 * compaction, and reclaiming a few MiB is not worth blocking a member for.
 */
export const DEFRAG_MIN_FREE_BYTES = 64 * MiB;

/**
 * etcdctl's `--command-timeout` of the defrag (its default, 5 s, is far too short for a large
 * database; an 8 GiB backend takes minutes). It ends only etcdctl's wait: etcd finishes the defrag.
 */
export const DEFRAG_COMMAND_TIMEOUT_MINUTES = 20;

/** Everything the defrag script of one member depends on. */
export interface DefragScriptInput {
  /** The member's etcd name, for the log lines. */
  readonly memberName: string;
  /** certDir holds the CA and the member's server certificate, which carries `clientAuth` too. */
  readonly paths: EtcdHostPaths;
  /** The member's `quota-backend-bytes` (EtcdTuning.quotaBackendBytes): a NOSPACE alarm is disarmed only below it. */
  readonly quotaBackendBytes: number;
}

/**
 * The defrag script run by the defrag timer on every member: defrag.sh beside this file (it
 * documents when it defragments and what it does with a NOSPACE alarm) with this member's settings
 * rendered as readonly lines after its shebang.
 */
export function renderDefragScript(input: DefragScriptInput): string {
  return scriptWithSettings("defrag.sh", "defrag-script.ts", [
    `readonly MEMBER=${shellQuote(input.memberName)}`,
    `readonly QUOTA_BYTES=${input.quotaBackendBytes}`,
    `readonly MIN_FREE_PERCENT=${DEFRAG_MIN_FREE_PERCENT}`,
    `readonly MIN_FREE_BYTES=${DEFRAG_MIN_FREE_BYTES}`,
    `readonly COMMAND_TIMEOUT=${DEFRAG_COMMAND_TIMEOUT_MINUTES}m`,
    ...localEtcdctlSettings(input.paths),
  ]);
}
