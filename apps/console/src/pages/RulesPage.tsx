// /rules, /rules/new, /rules/:id — alert rules: the list, a new rule and an
// existing one (edit makes a new version; its versions listed), each form
// with a preview of what the definition would have raised before it is saved.
import { useApi } from "../api/api-context.js";
import { createRule, deleteRule, fetchRule, fetchRuleVersions, listRules, updateRule } from "../api/rules-api.js";
import { roleAtLeast } from "../auth/roles.js";
import { ConfirmButton } from "../components/ConfirmButton.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { Section } from "../components/Section.js";
import { useAsync } from "../lib/use-async.js";
import { Link, navigate } from "../router/router.js";
import { RuleForm } from "../rules/RuleForm.js";
import { RuleTable } from "../rules/RuleTable.js";
import { RuleVersions } from "../rules/RuleVersions.js";
import { emptyDraft, fromDefinition } from "../rules/rule-draft.js";

const crumbs = <Link to="/rules">Rules</Link>;

export function RulesPage() {
  const { api, role } = useApi();
  const rules = useAsync(() => listRules(api), [api]);
  return (
    <>
      <PageHeader
        title="Rules"
        subtitle="Alert rules over the live log: thresholds, spikes, sequences and absences."
        actions={
          roleAtLeast(role, "admin") && (
            <Link to="/rules/new" className="btn btn-primary">
              New rule
            </Link>
          )
        }
      />
      {rules.loading && <Loading label="Loading rules" />}
      {rules.error !== undefined && <ErrorNotice error={rules.error} title="Could not load rules" />}
      {rules.data &&
        (rules.data.length === 0 ? (
          <EmptyState title="No rules yet">
            An admin can add one; its preview shows what it would have raised.
          </EmptyState>
        ) : (
          <RuleTable rules={rules.data} />
        ))}
    </>
  );
}

export function NewRulePage() {
  const { api } = useApi();
  return (
    <>
      <PageHeader title="New rule" crumbs={crumbs} subtitle="Preview it over a past period before you save it." />
      <RuleForm
        initial={emptyDraft()}
        submitLabel="Save rule"
        onSubmit={async (definition) => {
          const rule = await createRule(api, definition);
          navigate(`/rules/${encodeURIComponent(rule.id)}`);
        }}
      />
    </>
  );
}

export function RulePage({ id }: { id: string }) {
  const { api, role } = useApi();
  const rule = useAsync(() => fetchRule(api, id), [api, id]);
  const versions = useAsync(() => fetchRuleVersions(api, id), [api, id]);
  const admin = roleAtLeast(role, "admin");
  const current = rule.data;
  return (
    <>
      <PageHeader
        title={current ? current.definition.name : "Rule"}
        crumbs={crumbs}
        subtitle={current ? `Version ${current.version}${current.deleted ? " · deleted" : ""}` : undefined}
        actions={
          admin &&
          current &&
          !current.deleted && (
            <ConfirmButton
              label="Delete rule"
              confirmLabel="Confirm delete"
              onConfirm={() => {
                void deleteRule(api, id).then(() => navigate("/rules"));
              }}
            />
          )
        }
      />
      {rule.loading && <Loading label="Loading the rule" />}
      {rule.error !== undefined && <ErrorNotice error={rule.error} title="Could not load the rule" />}
      {current &&
        (admin && !current.deleted ? (
          <RuleForm
            key={current.version}
            initial={fromDefinition(current.definition)}
            submitLabel="Save as a new version"
            onSubmit={async (definition) => {
              await updateRule(api, id, definition);
              rule.reload();
              versions.reload();
            }}
          />
        ) : (
          <pre className="mono card">{JSON.stringify(current.definition, null, 2)}</pre>
        ))}
      <Section id="versions-title" title="Versions">
        {versions.error !== undefined && <ErrorNotice error={versions.error} title="Could not load the versions" />}
        {versions.data && <RuleVersions versions={versions.data} />}
      </Section>
    </>
  );
}
