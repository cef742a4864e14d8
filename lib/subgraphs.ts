import type { Env } from './config.js';
import type { RunningServer } from './http.js';
import type { Logger } from './log.js';

/** One subgraph of the supergraph: where it listens, how others find it, what it stores. */
export interface SubgraphEntry {
  /** As in the supergraph, the folder subgraphs/<name>/ and the process's log name. */
  name: string;
  /** Its default port, and the port `npm start` gives it unless `portVariable` is set. */
  port: number;
  /** Where the gateway and its peers find it (PRODUCT_URL). */
  urlVariable: string;
  /** `npm start`'s setting for its port (PRODUCT_PORT). */
  portVariable: string;
  /** Its own PostgreSQL database. */
  database: string;
  /** Its SDL, the source of truth of its part of the schema. */
  sdlPath: string;
  /** Its URL on a developer's machine, composed into the supergraph. */
  localUrl: string;
}

/** Where a subgraph folder keeps its SDL, listed or not (the schema check looks for unlisted ones). */
export const sdlPathOf = (name: string) => `subgraphs/${name}/schema.graphql`;

function subgraph(name: string, port: number): SubgraphEntry {
  const prefix = name.toUpperCase();
  return {
    name,
    port,
    urlVariable: `${prefix}_URL`,
    portVariable: `${prefix}_PORT`,
    database: name,
    sdlPath: sdlPathOf(name),
    localUrl: `http://localhost:${port}/graphql`,
  };
}

/**
 * Every subgraph, in the order the supergraph lists them and `npm start` starts them: a subgraph
 * comes after the peers it calls. Composition, the gateway's settings, `npm start`, the build,
 * codegen, the test system, the bench and the deploy tests all read this list
 * (docs/adding-a-subgraph.md). Shipping comes before order, whose saga calls it, though its port
 * is the later one.
 */
export const SUBGRAPHS: readonly SubgraphEntry[] = [
  subgraph('product', 4001),
  subgraph('payment', 4002),
  subgraph('shipping', 4004),
  subgraph('order', 4003),
];

export function subgraphNamed(name: string): SubgraphEntry {
  const entry = SUBGRAPHS.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no subgraph named ${name}`);
  return entry;
}

/** What each subgraph's src/service.ts exports, so it can be started without knowing which it is. */
export interface SubgraphService<Config = any> {
  readConfig(env: Env): Config;
  build(config: Config, logger?: Logger): Promise<RunningServer>;
}

/** Loads subgraphs/<name>/src/service.ts (or its compiled .js). */
export async function loadSubgraphService(entry: SubgraphEntry): Promise<SubgraphService> {
  const module = (await import(`../subgraphs/${entry.name}/src/service.js`)) as { service: SubgraphService };
  return module.service;
}

/** Each subgraph's URL under its variable (PRODUCT_URL=...), for the gateway's or a peer's environment. */
export function subgraphUrlVariables(urls: Readonly<Record<string, string>>): Env {
  return Object.fromEntries(SUBGRAPHS.filter(({ name }) => urls[name] !== undefined).map(({ name, urlVariable }) => [urlVariable, urls[name]!]));
}
