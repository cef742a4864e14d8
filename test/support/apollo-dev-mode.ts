// Apollo Client warns (cache data loss, missing fields) only in development mode, which it reads
// from globalThis.__DEV__ as its modules load: import this module before '@apollo/client'.
(globalThis as { __DEV__?: boolean }).__DEV__ = true;
export {};
