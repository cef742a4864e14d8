import { captureLogs, type CapturedLogs } from './support/log-capture.js';
import { waitFor } from './support/processes.js';
import { serverOf, SERVICES, startSystem, type RunningSystem } from './support/system.js';

/**
 * Every way a request to /graphql can be malformed, sent to the gateway and straight to each
 * subgraph's port: each gets a 4xx with a specific code and a message that says what to fix
 * (never INTERNAL_SERVER_ERROR), and none is logged at error level: it is the client's mistake.
 */
interface MalformedRequest {
  name: string;
  /** A JSON body to POST, or the search parameters of a GET. */
  post?: unknown;
  get?: Record<string, string>;
  status: number;
  code: string;
  message: RegExp;
}

const QUERY = '{ __typename }';
const TWO_OPERATIONS = 'query First { __typename } query Second { __typename }';
const hash = (sha256Hash: unknown) => ({ persistedQuery: { version: 1, sha256Hash } });

const CASES: MalformedRequest[] = [
  { name: 'an operationName the document does not define', post: { query: QUERY, operationName: 'BrowseProducts' }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: /^Unknown operation named "BrowseProducts": the document defines only an anonymous operation; leave operationName out$/ },
  { name: 'an unknown operationName among several operations', post: { query: TWO_OPERATIONS, operationName: 'Third' }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: /^Unknown operation named "Third": the document defines First, Second$/ },
  { name: 'several operations and no operationName', post: { query: TWO_OPERATIONS }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: /several operations \(First, Second\): choose one with operationName/ },
  { name: 'an unknown operationName over GET', get: { query: QUERY, operationName: 'Nope' }, status: 400, code: 'OPERATION_RESOLUTION_FAILURE', message: /^Unknown operation named "Nope"/ },
  { name: 'an operationName that is not a string', post: { query: QUERY, operationName: 5 }, status: 400, code: 'BAD_REQUEST', message: /operationName.*must be a string/ },
  { name: 'no query', post: { variables: {} }, status: 400, code: 'BAD_REQUEST', message: /must contain a non-empty `query` or a `persistedQuery`/ },
  { name: 'an empty query', post: { query: '' }, status: 400, code: 'BAD_REQUEST', message: /must contain a non-empty `query`/ },
  { name: 'no query over GET', get: {}, status: 400, code: 'BAD_REQUEST', message: /must contain a non-empty `query`/ },
  { name: 'a query that is not a string', post: { query: 42 }, status: 400, code: 'BAD_REQUEST', message: /queries must be strings/ },
  { name: 'variables as a JSON-encoded string', post: { query: QUERY, variables: '{}' }, status: 400, code: 'BAD_REQUEST', message: /`variables`.*should be provided as an object/ },
  { name: 'variables as an array', post: { query: QUERY, variables: [1] }, status: 400, code: 'BAD_REQUEST', message: /`variables`.*must be an object/ },
  { name: 'variables that are not JSON over GET', get: { query: QUERY, variables: '{bad' }, status: 400, code: 'BAD_REQUEST', message: /variables search parameter contains invalid JSON/ },
  { name: 'a variable of the wrong type', post: { query: 'query($skip: Boolean!) { __typename @skip(if: $skip) }', variables: { skip: 'yes' } }, status: 400, code: 'BAD_USER_INPUT', message: /Variable "\$skip" got invalid value "yes"; Boolean cannot represent/ },
  { name: 'a required variable left out', post: { query: 'query($skip: Boolean!) { __typename @skip(if: $skip) }' }, status: 400, code: 'BAD_USER_INPUT', message: /Variable "\$skip" of required type "Boolean!" was not provided/ },
  { name: 'extensions as a string', post: { query: QUERY, extensions: '{}' }, status: 400, code: 'BAD_REQUEST', message: /`extensions`.*should be provided as an object/ },
  { name: 'extensions that are not JSON over GET', get: { query: QUERY, extensions: '{bad' }, status: 400, code: 'BAD_REQUEST', message: /extensions search parameter contains invalid JSON/ },
  { name: 'a persistedQuery that is not an object', post: { query: QUERY, extensions: { persistedQuery: 'x' } }, status: 400, code: 'BAD_REQUEST', message: /Unsupported persisted query version/ },
  { name: 'a persisted-query version other than 1', post: { query: QUERY, extensions: { persistedQuery: { version: 2, sha256Hash: 'ab' } } }, status: 400, code: 'BAD_REQUEST', message: /Unsupported persisted query version/ },
  { name: 'a persisted-query hash that does not match the query', post: { query: QUERY, extensions: hash('0'.repeat(64)) }, status: 400, code: 'BAD_REQUEST', message: /provided sha does not match query/ },
  { name: 'a mutation over GET', get: { query: 'mutation { __typename }' }, status: 405, code: 'BAD_REQUEST', message: /GET requests only support query operations, not mutation operations/ },
];

let system: RunningSystem;
let logs: CapturedLogs;

beforeAll(async () => {
  logs = captureLogs();
  system = await startSystem({ logs: logs.stream, logLevel: 'info' });
});
afterAll(() => system?.stop());

async function send(url: string, request: MalformedRequest): Promise<{ status: number; body: any }> {
  // The preflight-forcing header lets a GET past CSRF prevention, so the case itself is judged.
  const headers = { 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json, application/json' };
  const response = request.get
    ? await fetch(`${url}?${new URLSearchParams(request.get)}`, { headers })
    : await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(request.post) });
  return { status: response.status, body: await response.json() };
}

describe.each(SERVICES)('a malformed request sent to the %s', (service) => {
  it.each(CASES.map((request) => [request.name, request] as const))('%s: a 4xx with its code and message', async (_name, request) => {
    const { status, body } = await send(serverOf(system, service).url, request);
    expect({ status, errors: body.errors }).toEqual({
      status: request.status,
      errors: [expect.objectContaining({ message: expect.stringMatching(request.message), extensions: { code: request.code } })],
    });
    expect(body.data).toBeUndefined();
  });
});

it('logs none of them at error level, and each one once at info with its code', async () => {
  // A request's line is written when its response closes, not always before fetch resolves.
  const requestLines = () => logs.lines.filter((line) => line.msg === 'graphql request');
  await waitFor('every request logged', async () => requestLines().length >= CASES.length * SERVICES.length);
  expect(logs.lines.filter((line) => line.level >= 50)).toEqual([]);
  expect(requestLines().map((line) => line.errors)).toEqual(expect.arrayContaining([['OPERATION_RESOLUTION_FAILURE'], ['BAD_REQUEST'], ['BAD_USER_INPUT']]));
});
