// The signed-in token. "Remember me" keeps it in localStorage (this browser,
// until sign-out); otherwise sessionStorage (this tab, until it closes).

const KEY = 'hookline.token';

export function getToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setToken(token: string, remember: boolean): void {
  clearToken();
  (remember ? localStorage : sessionStorage).setItem(KEY, token);
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  } catch {
    // Storage disabled (private mode): nothing was kept.
  }
}
