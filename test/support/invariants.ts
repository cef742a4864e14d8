import { checkInvariants, unfinishedOrders, type InvariantReport, type SystemDatabases } from '../../scripts/invariants.js';
import { waitFor } from './processes.js';

export { checkInvariants, unfinishedOrders, type InvariantReport, type SystemDatabases };

/** The invariants once every order's saga is DONE: a paid order's reservation is confirmed in a
 *  batch after placeOrder has answered, so an order just placed may still be at CONFIRM. */
export async function checkSettledInvariants(databases: SystemDatabases, initialStock: Map<string, number>, customerPrefix?: string): Promise<InvariantReport> {
  await waitFor('every order to be DONE', async () => (await unfinishedOrders(databases.order)) === 0, 20_000, 20);
  return checkInvariants(databases, initialStock, customerPrefix);
}
