// Tokens as the People and tokens list shows them.
import type { Token } from "../ipc";
import { when } from "../desk/format";

/** Live tokens first, each group newest first. */
export function sortedTokens(tokens: Token[]): Token[] {
  return [...tokens].sort(
    (a, b) =>
      Number(a.revoked_at !== null) - Number(b.revoked_at !== null) ||
      b.created_at.localeCompare(a.created_at) ||
      b.id - a.id,
  );
}

/** "Never", or when it was last used. */
export function lastUsed(token: Token): string {
  return token.last_used_at ? when(token.last_used_at) : "Never";
}
