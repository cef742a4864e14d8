const STORAGE_KEY = 'storefront.token';

/** The dev sign-in: a pasted JWT, kept in localStorage. The server verifies it on every call;
 *  the subject is read here only to greet the customer. */
export const session = {
  get token(): string | undefined {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  },
  signIn(token: string): void {
    localStorage.setItem(STORAGE_KEY, token.trim().replace(/^Bearer\s+/i, ''));
  },
  signOut(): void {
    localStorage.removeItem(STORAGE_KEY);
  },
  get customer(): string | undefined {
    const payload = this.token?.split('.')[1];
    if (!payload) return undefined;
    try {
      const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
      return typeof claims.sub === 'string' ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  },
};
