// An API error with every listed problem, each naming its field (a JSON
// pointer into the definition sent), so a bad rule says all that is wrong.
import { ApiError } from "../api/api-error.js";
import { ErrorNotice } from "../components/ErrorNotice.js";

export function ProblemNotice({ error, title }: { error: unknown; title: string }) {
  const problems = error instanceof ApiError ? (error.problem?.problems ?? []) : [];
  if (problems.length === 0) return <ErrorNotice error={error} title={title} />;
  return (
    <div className="notice notice-bad" role="alert">
      <strong>{title}.</strong>
      <ul>
        {problems.map((p) => (
          <li key={`${p.pointer}:${p.message}`}>
            <code>{p.pointer || "(the rule)"}</code> {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
