import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Reads a Dockerfile into its stages, with ARG defaults substituted into FROM lines, the way
 *  `docker build` would see it when no --build-arg is given. */
export function readDockerfile(path: string): { stages: Stage[] } {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else if (instruction.keyword === 'FROM') {
      const [, image = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ name, image: image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? ''), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { stages };
}

/** COPY's operands: `--from` if any, the sources, and the destination. */
export function copyOperands(instruction: Instruction): { from?: string; sources: string[]; destination: string } {
  const words = instruction.args.startsWith('[') ? (JSON.parse(instruction.args) as string[]) : instruction.args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** Whether .dockerignore keeps a path out of the build context (the patterns this repo uses:
 *  names, `*` within a segment, a leading `**\/`; no `!` exceptions). */
export function isDockerIgnored(path: string, dockerignore: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const segments = path.split('/');
  const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  return patterns.some((pattern) => {
    const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    const body = pattern
      .split('**/')
      .map((part) => part.split('*').map(escape).join('[^/]*'))
      .join('(?:.*/)?');
    const regex = new RegExp(`^${body}$`);
    return prefixes.some((prefix) => regex.test(prefix));
  });
}
