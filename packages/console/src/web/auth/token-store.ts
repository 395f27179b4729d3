/**
 * The operator's API token lives in session storage: it survives a reload but not the tab, and no
 * cookie carries it (the API reads it from the `Authorization` header only).
 */
const KEY = "zart-console-token";

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};
