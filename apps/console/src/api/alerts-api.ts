// Alerts (/v1/alerts, docs/alerts.md): list by status or rule, read one,
// acknowledge, resolve with a note. Each step is recorded in the tenant's log.
import type { AlertStatus, WireAlert } from "@trailproof/protocol";
import type { ApiClient } from "./api-client.js";

export type { AlertStatus, WireAlert } from "@trailproof/protocol";

const alertPath = (id: string) => `/v1/alerts/${encodeURIComponent(id)}`;

export interface AlertFilter {
  status?: AlertStatus;
  rule?: string;
  limit?: number;
}

export async function listAlerts(api: ApiClient, filter: AlertFilter = {}): Promise<WireAlert[]> {
  return (await api.get<{ alerts: WireAlert[] }>("/v1/alerts", { ...filter })).alerts;
}

export async function fetchAlert(api: ApiClient, id: string): Promise<WireAlert> {
  return (await api.get<{ alert: WireAlert }>(alertPath(id))).alert;
}

export async function acknowledgeAlert(api: ApiClient, id: string): Promise<WireAlert> {
  return (await api.send<{ alert: WireAlert }>("POST", `${alertPath(id)}/acknowledge`)).alert;
}

export async function resolveAlert(api: ApiClient, id: string, note: string): Promise<WireAlert> {
  return (await api.send<{ alert: WireAlert }>("POST", `${alertPath(id)}/resolve`, { note })).alert;
}
