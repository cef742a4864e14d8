/** pass and fail decide the verdict; warn (a dangerous change) and info never fail it. */
export type Status = 'pass' | 'fail' | 'warn' | 'info';

/** One line of the report. The fields beyond status and message are for machines (--json). */
export interface Finding {
  status: Status;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  subgraph?: string;
  /** A composition error code or a schema change type, e.g. FIELD_TYPE_MISMATCH, FIELD_REMOVED. */
  code?: string;
  /** A schema coordinate: Type, Type.field, Type.field(argument:), Enum.VALUE. */
  coordinate?: string;
  /** For an allowed break: the reason given in schema/allowed-breaking-changes.txt. */
  allowedBecause?: string;
}

export interface Section {
  name: string;
  title: string;
  ok: boolean;
  findings: Finding[];
  /** How to fix it, printed when the section fails. */
  fix: string;
}

export interface Base {
  /** What was asked for with --base, or the default branch the merge base was taken with. */
  ref: string | null;
  commit: string | null;
  description: string;
}

export interface SchemaCheckReport {
  ok: boolean;
  base: Base;
  sections: Section[];
}

export function section(name: string, title: string, fix: string, findings: Finding[]): Section {
  return { name, title, ok: findings.every(({ status }) => status !== 'fail'), findings, fix };
}

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', info: '·' };

export function where({ file, line, column }: Finding): string | undefined {
  if (!file) return undefined;
  return [file, line, column].filter((part) => part !== undefined).join(':');
}

function formatFinding(finding: Finding): string {
  const prefix = [where(finding), finding.coordinate, finding.code && `[${finding.code}]`].filter(Boolean).join('  ');
  return `    ${MARK[finding.status]} ${prefix ? `${prefix}  ` : ''}${finding.message}`;
}

export function formatReport(report: SchemaCheckReport): string {
  const lines = [`Schema check of the working tree, base: ${report.base.description}`, ''];
  for (const { title, ok, findings, fix } of report.sections) {
    lines.push(`${ok ? '✓' : '✗'} ${title}`, ...findings.map(formatFinding), ...(ok ? [] : [`    → ${fix}`]), '');
  }
  const failed = report.sections
    .filter(({ ok }) => !ok)
    .map(({ name, findings }) => `${name} (${findings.filter(({ status }) => status === 'fail').length})`);
  lines.push(report.ok ? '✓ schema check passed' : `✗ schema check failed: ${failed.join(', ')}`);
  return lines.join('\n');
}
