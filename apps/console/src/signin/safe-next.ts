// Where to go after signing in: only a path on this origin, never "//host"
// or a scheme, so a crafted sign-in link cannot send anyone elsewhere.
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/events";
  if (raw.startsWith("/sign-in")) return "/events";
  return raw;
}
