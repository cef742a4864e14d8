export { checkInvariants, unfinishedOrders, type InvariantReport, type SystemDatabases } from '../../scripts/invariants.js';
