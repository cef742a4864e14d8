/** The shapes of the ids the services pass between each other. A well-formed id that names
 *  nothing is a lookup that finds nothing; only a malformed one can be bad input. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Orders and payments are keyed by UUIDs, in either case. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** A UUID in lower case, the form PostgreSQL's uuid type answers with, so an id a client sends
 *  in upper case keys the same order in every service's maps and varchar columns. Anything else
 *  is returned as it is. */
export function canonicalUuid(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}

/** The largest PostgreSQL bigint, the type of product ids. */
const MAX_BIGINT = '9223372036854775807';

/** Products are bigint identities: a canonical positive decimal (no sign, no leading zero) up to
 *  MAX_BIGINT. Anything longer would make PostgreSQL fail the statement instead of finding nothing. */
export function isProductId(id: string): boolean {
  if (!/^[1-9]\d{0,18}$/.test(id)) return false;
  // Same length: digit strings compare like the numbers they spell.
  return id.length < MAX_BIGINT.length || id <= MAX_BIGINT;
}
