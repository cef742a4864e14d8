/** What the gateway tells the playground page, embedded in it as JSON. */
export interface PlaygroundPageConfig {
  /** Where GraphiQL sends operations: the gateway's own /graphql. */
  endpoint: string;
  /** Where the bundled editor workers are served. */
  assetsPath: string;
  /** One tab per example operation, with its variables and the Authorization header. */
  tabs: { query: string; variables: string; headers: string }[];
  /** The headers a new tab starts with. */
  defaultHeaders: string;
  /** Saved tabs live under this prefix in localStorage; it changes with the examples and the
   *  prefilled token, so a restarted `npm start` shows its fresh token instead of an old one. */
  storageNamespace: string;
}
