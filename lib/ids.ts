/** The shapes of the ids the services pass between each other. A well-formed id that names
 *  nothing is a lookup that finds nothing; only a malformed one can be bad input. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Orders and payments are keyed by UUIDs, in either case. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** Products are PostgreSQL bigint identities. */
export function isProductId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}
