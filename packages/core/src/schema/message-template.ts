// Message templates of action definitions: plain text with a closed set of
// placeholders. Only envelope fields that are never personal by default may be
// rendered, so a template cannot copy a committed-away value into the log.

export const TEMPLATE_PLACEHOLDERS = [
  "action",
  "actor.type",
  "actor.id",
  "target.type",
  "target.id",
  "target.name",
  "outcome",
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const placeholder = /\{([^{}]*)\}/g;

function isPlaceholder(name: string): name is TemplatePlaceholder {
  return (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name);
}

/** Why `template` is unusable, one sentence per fault; empty when it is fine. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(placeholder)) {
    const name = match[1] as string;
    if (!isPlaceholder(name)) {
      problems.push(`unknown placeholder {${name}}; allowed: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`);
    }
  }
  if (/[{}]/.test(template.replace(placeholder, ""))) problems.push("has an unmatched '{' or '}'");
  return problems;
}

/**
 * Fills the placeholders of a template that passed templateProblems and cuts
 * the result to `maxLength` code points.
 */
export function renderMessage(
  template: string,
  values: Readonly<Record<TemplatePlaceholder, string>>,
  maxLength: number,
): string {
  const text = template.replace(placeholder, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole));
  const codePoints = Array.from(text);
  return codePoints.length <= maxLength ? text : codePoints.slice(0, maxLength).join("");
}
