import { ImportAbortedError, RowRefusedError, type CatalogApi, type CatalogProduct } from './catalog-api.js';
import type { CatalogRow, RejectedRow } from './csv.js';

export type RowOutcome = { line: number; sku: string; result: 'created' | 'updated' | 'unchanged' } | (RejectedRow & { result: 'rejected' });

/**
 * Upserts each row by sku, one row at a time, in file order. A row the API refuses is reported
 * and left as it was; an error that is not about the row (unreachable, forbidden) stops the
 * import with ImportAbortedError, after the rows before it were applied.
 */
export async function importCatalog(api: CatalogApi, rows: CatalogRow[], onOutcome: (outcome: RowOutcome) => void = () => {}): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  for (const row of rows) {
    let outcome: RowOutcome;
    try {
      outcome = { line: row.line, sku: row.sku, result: await upsert(api, row) };
    } catch (error) {
      if (!(error instanceof RowRefusedError)) throw error;
      outcome = { line: row.line, result: 'rejected', reason: error.message };
    }
    outcomes.push(outcome);
    onOutcome(outcome);
  }
  return outcomes;
}

async function upsert(api: CatalogApi, row: CatalogRow): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await api.findBySku(row.sku);
  if (!existing) {
    await api.create({ sku: row.sku, name: row.name, description: row.description, price: row.price, stock: row.stock });
    return 'created';
  }
  const changes = fieldChanges(existing, row);
  // The file's stock is the count to reach. Stock only moves by adjustment (orders reserve it
  // concurrently), so the difference is applied, never an absolute value.
  const delta = row.stock - existing.stock;
  if (Object.keys(changes).length === 0 && delta === 0) return 'unchanged';
  // Stock first: it is the step that can be refused for reasons the file cannot show (orders
  // took units meanwhile). The field update is checked beforehand and rarely refused; if it is,
  // the stock step is undone so that a refused row changes nothing.
  if (delta !== 0) await api.adjustStock(existing.id, delta);
  if (Object.keys(changes).length > 0) {
    try {
      await api.update(existing.id, changes);
    } catch (error) {
      if (delta !== 0) await undoStock(api, existing, delta);
      throw error;
    }
  }
  return 'updated';
}

function fieldChanges(existing: CatalogProduct, row: CatalogRow): { name?: string; description?: string | null; price?: string } {
  const changes: { name?: string; description?: string | null; price?: string } = {};
  if (existing.name !== row.name) changes.name = row.name;
  if (row.description !== undefined && existing.description !== row.description) changes.description = row.description;
  if (existing.price !== row.price) changes.price = row.price;
  return changes;
}

async function undoStock(api: CatalogApi, product: CatalogProduct, delta: number): Promise<void> {
  try {
    await api.adjustStock(product.id, -delta);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ImportAbortedError(`sku "${product.sku}": its stock was adjusted by ${delta} but its other fields were not updated, and undoing the stock change failed (${why}); check product ${product.id}`);
  }
}
