import { execFileSync } from 'node:child_process';
import type { Base } from './report.js';

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const commitOf = (root: string, ref: string) =>
  git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])?.trim() ?? null;

/** The commit whose API schema the working tree is compared with: the merge base of HEAD and
 *  the requested ref (default `main`, else `origin/main`), so changes that landed on main after
 *  the branch was cut are not blamed on it. On main itself that is HEAD: the working tree is
 *  compared with the last commit (a clean tree has nothing to compare). */
export function resolveBase(root: string, requested: string | undefined): Base {
  const head = commitOf(root, 'HEAD');
  if (requested !== undefined && !commitOf(root, requested)) {
    throw new Error(`--base ${requested}: no such commit in this repository (is it fetched?)`);
  }
  if (!head) return { ref: null, commit: null, description: 'nothing (not a git repository, or no commit yet)' };
  const ref = requested ?? ['main', 'origin/main'].find((candidate) => commitOf(root, candidate));
  const short = head.slice(0, 7);
  if (!ref) return { ref: null, commit: head, description: `HEAD ${short} (no main branch to take a merge base with)` };
  const mergeBase = git(root, ['merge-base', ref, 'HEAD'])?.trim();
  if (!mergeBase) {
    const commit = commitOf(root, ref)!;
    return { ref, commit, description: `${ref} ${commit.slice(0, 7)} (it shares no history with HEAD)` };
  }
  if (mergeBase === head && requested === undefined) {
    return { ref, commit: head, description: `HEAD ${short} (nothing beyond ${ref}: the working tree against HEAD)` };
  }
  return { ref, commit: mergeBase, description: `${ref}, merge base ${mergeBase.slice(0, 7)}` };
}

/** A file's text at a commit, or null when it did not exist there. */
export function readAtCommit(root: string, commit: string, path: string): string | null {
  return git(root, ['show', `${commit}:${path}`]);
}
