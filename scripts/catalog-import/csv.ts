import { CsvError, parse, type Info } from 'csv-parse/sync';
import { formatMoney, parseMoney } from '../../lib/money.js';

/** One product as the file describes it. `description` is undefined when the file has no such
 *  column (the import then leaves descriptions alone) and null when the cell is empty. */
export interface CatalogRow {
  line: number;
  sku: string;
  name: string;
  description: string | null | undefined;
  price: string;
  stock: number;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

/** The file as a whole cannot be read: nothing in it is imported. */
export class CatalogFileError extends Error {}

const REQUIRED_COLUMNS = ['sku', 'name', 'price', 'stock'] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, 'description']);
// The same limits the product subgraph enforces, so a row rejected here would be rejected there.
const MAX_SKU = 64;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 10_000;
const MAX_STOCK = 1_000_000_000;

/**
 * Reads a catalog CSV (header `sku,name,description,price,stock`, any column order) into rows to
 * import and rows to reject, each with the line it starts on. A sku seen on an earlier line is
 * rejected: two rows for one product leave no way to tell which one the author meant.
 */
export function readCatalogCsv(text: string): { rows: CatalogRow[]; rejected: RejectedRow[] } {
  const records = parseRecords(text);
  const header = records.shift();
  if (!header) throw new CatalogFileError('the file is empty: expected a header line "sku,name,description,price,stock"');
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  checkHeader(columns);

  const rows: CatalogRow[] = [];
  const rejected: RejectedRow[] = [];
  const firstLineOfSku = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length !== columns.length) {
      rejected.push({ line, reason: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const cells = Object.fromEntries(columns.map((column, i) => [column, fields[i]!.trim()]));
    const problem = problemWith(cells);
    if (problem) {
      rejected.push({ line, reason: problem });
      continue;
    }
    const earlier = firstLineOfSku.get(cells.sku!);
    if (earlier !== undefined) {
      rejected.push({ line, reason: `sku "${cells.sku}" already appears on line ${earlier}` });
      continue;
    }
    firstLineOfSku.set(cells.sku!, line);
    rows.push({
      line,
      sku: cells.sku!,
      name: cells.name!,
      description: 'description' in cells ? cells.description || null : undefined,
      price: formatMoney(parseMoney(cells.price!)),
      stock: Number(cells.stock),
    });
  }
  return { rows, rejected };
}

function parseRecords(text: string): { line: number; fields: string[] }[] {
  try {
    // Line endings are made uniform first: csv-parse counts a CRLF inside quotes as two lines.
    const options = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true };
    // With `info`, each record comes as { record, info }; the typings only know plain arrays.
    const parsed = parse(text.replace(/\r\n?/g, '\n'), options) as unknown as { record: string[]; info: Info }[];
    return parsed.map(({ record, info }) => ({
      // info.lines is the line a record ends on; a quoted field may span several.
      line: info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0),
      fields: record,
    }));
  } catch (error) {
    if (error instanceof CsvError) throw new CatalogFileError(`the file is not valid CSV: ${error.message}`);
    throw error;
  }
}

function checkHeader(columns: string[]): void {
  const unknown = columns.filter((column) => !KNOWN_COLUMNS.has(column));
  if (unknown.length > 0) throw new CatalogFileError(`unknown column(s) ${unknown.map((c) => `"${c}"`).join(', ')}; the columns are sku, name, description, price, stock`);
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new CatalogFileError(`missing column(s) ${missing.join(', ')} in the header line`);
  const repeated = columns.find((column, i) => columns.indexOf(column) !== i);
  if (repeated) throw new CatalogFileError(`column "${repeated}" appears twice in the header line`);
}

function problemWith(cells: Record<string, string>): string | null {
  const { sku = '', name = '', description = '', price = '', stock = '' } = cells;
  if (sku === '' || sku.length > MAX_SKU) return `sku must be 1 to ${MAX_SKU} characters`;
  if (name === '' || name.length > MAX_NAME) return `name must be 1 to ${MAX_NAME} characters`;
  if (description.length > MAX_DESCRIPTION) return `description must be at most ${MAX_DESCRIPTION} characters`;
  let cents: bigint;
  try {
    cents = parseMoney(price);
  } catch {
    return `price "${price}" is not an amount with at most two fraction digits, e.g. 19.99`;
  }
  if (cents <= 0n) return `price must be greater than 0, got ${price}`;
  if (!/^\d{1,10}$/.test(stock) || Number(stock) > MAX_STOCK) return `stock must be a whole number from 0 to ${MAX_STOCK}, got "${stock}"`;
  return null;
}
