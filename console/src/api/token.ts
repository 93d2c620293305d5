/**
 * The signed-in token lives in sessionStorage only: it goes with this tab and is gone when
 * the tab closes, it is never put in a URL, and nothing logs it.
 */
const KEY = "chameleon.token";

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function keepToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
