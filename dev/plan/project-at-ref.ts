/**
 * This project as it was at a git ref, in a temporary directory, so the offline runner can run that
 * version's own index.ts, components and stack files. The tree comes from `git archive` (no
 * worktree bookkeeping left behind if the process dies); node_modules is this checkout's, linked in,
 * so both versions share one @pulumi/pulumi and its mock runtime. When the ref's package-lock.json
 * differs, its code still runs against today's packages: the result says so.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../mock-runtime/project-file";

export interface ProjectAtRef {
  /** The directory holding the ref's tree. */
  readonly projectDir: string;
  /** The full commit ID the ref names. */
  readonly commit: string;
  /** Caveats for the reader, e.g. a package-lock.json that differs from this checkout's. */
  readonly notes: readonly string[];
}

function git(args: readonly string[], input?: Buffer): Buffer {
  return execFileSync("git", args, { cwd: PROJECT_DIR, input, maxBuffer: 512 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
}

function commitOf(ref: string): string {
  try {
    return git(["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new Error(`--diff ${ref}: not a commit in this repository (try origin/main, HEAD~1 or a commit ID)`);
  }
}

/** Runs `body` with the project at `ref`; the directory is removed afterwards, whatever happens. */
export async function withProjectAtRef<T>(ref: string, body: (project: ProjectAtRef) => Promise<T>): Promise<T> {
  const commit = commitOf(ref);
  const projectDir = mkdtempSync(path.join(tmpdir(), `etcd-plan-${commit.slice(0, 12)}-`));
  try {
    execFileSync("tar", ["-x", "-C", projectDir], { input: git(["archive", "--format=tar", commit]) });
    symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(projectDir, "node_modules"), "dir");
    const lockAtRef = path.join(projectDir, "package-lock.json");
    const lockHere = path.join(PROJECT_DIR, "package-lock.json");
    const sameLock = existsSync(lockAtRef) && readFileSync(lockAtRef, "utf8") === readFileSync(lockHere, "utf8");
    const notes = sameLock ? [] : [`note: package-lock.json differs at ${ref}; its program ran with this checkout's node_modules`];
    return await body({ projectDir, commit, notes });
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
}
