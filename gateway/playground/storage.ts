import type { GraphiQLProps } from 'graphiql';

type Storage = NonNullable<GraphiQLProps['storage']>;

/** localStorage seen through a key prefix, so each playground configuration keeps its own tabs. */
export function namespacedStorage(backing: globalThis.Storage, namespace: string): Storage {
  const ownKeys = () => Array.from({ length: backing.length }, (_, i) => backing.key(i)).filter((key): key is string => key?.startsWith(namespace) === true);
  return {
    getItem: (key) => backing.getItem(namespace + key),
    setItem: (key, value) => backing.setItem(namespace + key, value),
    removeItem: (key) => backing.removeItem(namespace + key),
    clear: () => ownKeys().forEach((key) => backing.removeItem(key)),
    get length() {
      return ownKeys().length;
    },
  };
}
