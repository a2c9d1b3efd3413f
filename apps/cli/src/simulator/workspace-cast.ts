// Who and what the simulated no-code workspace has: builders with their
// usual IPs and devices, apps and pages, workflows and their service
// accounts, policies. Fixed data: variety comes from the seeded random.

export const WORKSPACE = "acme";

export interface Builder {
  id: string;
  name: string;
  ips: readonly string[];
  device: string;
  userAgent: string;
}

export const BUILDERS: readonly Builder[] = [
  {
    id: "usr_ada",
    name: "Ada Lovelace",
    ips: ["203.0.113.7", "203.0.113.8"],
    device: "dev_ada_mbp",
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
  },
  {
    id: "usr_grace",
    name: "Grace Hopper",
    ips: ["198.51.100.23"],
    device: "dev_grace_win",
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36",
  },
  {
    id: "usr_linus",
    name: "Linus Builder",
    ips: ["2001:db8::42", "192.0.2.99"],
    device: "dev_linus_linux",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  },
  {
    id: "usr_margaret",
    name: "Margaret Hamilton",
    ips: ["198.51.100.77"],
    device: "dev_margaret_ipad",
    userAgent: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
  },
];

/** Where the suspicious sequence comes from: an address none of the builders uses. */
export const UNUSUAL_IP = "185.220.101.4";

export const APPS = [
  { id: "app_crm", name: "CRM", pages: ["contacts", "deals", "dashboard"], table: "contacts" },
  { id: "app_inventory", name: "Inventory", pages: ["stock", "suppliers"], table: "items" },
  { id: "app_helpdesk", name: "Helpdesk", pages: ["tickets", "sla"], table: "tickets" },
] as const;

export const LAYOUTS = ["grid", "stack", "split", "tabs"] as const;
export const COMPONENTS = ["table", "form", "chart", "button", "kanban"] as const;
export const PACKAGES = [
  { name: "charts-pro", version: "2.4.1", permissions: ["read:records"] },
  { name: "pdf-export", version: "1.9.0", permissions: ["read:records", "write:files"] },
  { name: "slack-notify", version: "0.8.3", permissions: ["network:outbound"] },
] as const;
export const TEMPLATES = ["tpl_onboarding", "tpl_kanban", "tpl_approvals"] as const;

export const AUTOMATION_ACCOUNT = {
  id: "svc_automations",
  name: "Automation engine",
  type: "service_account",
} as const;

export const WORKFLOWS = {
  nightlySync: { id: "wf_sync_contacts", version: "7", trigger: "trg_nightly_0200" },
  orderWebhook: { id: "wf_order_webhook", version: "3", trigger: "trg_webhook_orders" },
  hubspotImport: { id: "wf_hubspot_import", version: "12", trigger: "trg_hubspot" },
  discountRule: { id: "wf_discount_guard", version: "2", rule: "rule_discount_limit" },
  notify: { id: "wf_notify_owner", version: "1", trigger: "trg_record_changed" },
} as const;

export const POLICIES = [
  { id: "pol_deploy_review", stage: "deploy", rules: ["requires_review", "no_friday_deploys"] },
  { id: "pol_package_allowlist", stage: "build", rules: ["allowlisted_publisher", "no_network_scope"] },
  { id: "pol_export_limit", stage: "runtime", rules: ["max_rows_10000"] },
] as const;
