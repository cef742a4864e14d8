import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sampled frame's time belongs: a package, our own code, Node itself, or V8's bookkeeping. */
function owner(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName === '(garbage collector)' ? 'garbage collection' : functionName === '(idle)' || functionName === '(program)' ? functionName : 'native';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(gateway|lib|subgraphs\/\w+)\//.exec(url);
  return ours ? `ours: ${ours[1]}` : url;
}

/** Self time by owner, in per cent of the busy (non-idle) time, largest first. */
export function profileSplit(profile: CpuProfile): { owner: string; percent: number }[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = owner(nodes.get(id)!.callFrame);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  totals.delete('(idle)');
  const busy = [...totals.values()].reduce((sum, time) => sum + time, 0);
  return [...totals].map(([name, time]) => ({ owner: name, percent: (100 * time) / busy })).sort((a, b) => b.percent - a.percent);
}

/** Every profile under dir/<service>/, summarised per service (gateway workers added together). */
export function summariseProfiles(dir: string): string[] {
  const lines: string[] = [];
  for (const service of readdirSync(dir).sort()) {
    const merged: CpuProfile = { nodes: [], samples: [], timeDeltas: [] };
    let offset = 0;
    for (const file of readdirSync(join(dir, service)).filter((name) => name.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(readFileSync(join(dir, service, file), 'utf8')) as CpuProfile;
      const shift = offset;
      merged.nodes.push(...profile.nodes.map((node) => ({ ...node, id: node.id + shift })));
      merged.samples.push(...profile.samples.map((id) => id + shift));
      merged.timeDeltas.push(...profile.timeDeltas);
      offset += Math.max(...profile.nodes.map((node) => node.id)) + 1;
    }
    const top = profileSplit(merged).filter((entry) => entry.percent >= 1);
    lines.push(`${service}: ${top.map((entry) => `${entry.owner} ${entry.percent.toFixed(0)}%`).join(', ')}`);
  }
  return lines;
}
