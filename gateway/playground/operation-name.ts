import { Kind, parse } from 'graphql';

/**
 * The operationName to send with `query`. GraphiQL reads the name from the editor 100 ms after
 * an edit, so a document pasted and run at once would carry the name of the one it replaced,
 * which the gateway rightly refuses. The document decides instead: a single operation goes with
 * its own name (or none, when anonymous); of several, GraphiQL's choice only if the document
 * defines it, else none, and the gateway names the operations to choose from.
 */
export function operationNameFor(query: string, chosen: string | null | undefined): string | undefined {
  let names: (string | undefined)[];
  try {
    names = parse(query).definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? [definition.name?.value] : []));
  } catch {
    // The gateway's parse error says more than anything decided here.
    return chosen ?? undefined;
  }
  if (names.length === 1) return names[0];
  return chosen && names.includes(chosen) ? chosen : undefined;
}

/** Whether the operation to run is a subscription (sent over WebSocket, not HTTP). */
export function isSubscription(query: string, operationName: string | undefined): boolean {
  try {
    const operations = parse(query).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const chosen = operations.length === 1 ? operations[0] : operations.find((operation) => operation.name?.value === operationName);
    return chosen?.operation === 'subscription';
  } catch {
    return false;
  }
}
