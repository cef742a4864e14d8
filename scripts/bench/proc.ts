import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  parent: number;
  cpuTicks: number;
  rssPages: number;
}

/** /proc/<pid>/stat, read after the command name (which may hold spaces and parentheses). */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) ... utime(14) stime(15) ... rss(24), counted from 1.
  return { pid, parent: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]), rssPages: Number(fields[21]) };
}

/** A process and every descendant of it alive now (the gateway's and Hive's cluster workers). */
function processTree(root: number): ProcStat[] {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((name) => readStat(Number(name))).filter((stat): stat is ProcStat => stat !== undefined);
  const tree = all.filter((stat) => stat.pid === root);
  for (let grew = true; grew; ) {
    const members = new Set(tree.map((stat) => stat.pid));
    const children = all.filter((stat) => members.has(stat.parent) && !members.has(stat.pid));
    tree.push(...children);
    grew = children.length > 0;
  }
  return tree;
}

/** CPU time (user + system) used so far by a process and its live descendants, in milliseconds. */
export function cpuMillis(pid: number): number {
  return (processTree(pid).reduce((sum, stat) => sum + stat.cpuTicks, 0) * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of a process and its live descendants, in MiB. */
export function rssMiB(pid: number): number {
  return (processTree(pid).reduce((sum, stat) => sum + stat.rssPages, 0) * 4096) / 2 ** 20;
}
