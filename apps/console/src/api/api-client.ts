// The console's HTTP client: same-origin requests with the session cookie
// (plus the CSRF header on every state change), or a bearer key for operators
// and embedded viewers. Every non-2xx answer becomes an ApiError.
import type { ProblemDetails } from "@trailproof/protocol";
import { ApiError } from "./api-error.js";

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface ApiAuth {
  /** An API key or a viewer token; when set, no cookie is relied on. */
  bearer?: string;
  /** Sent as x-csrf-token on POST, PUT, PATCH and DELETE made with the session cookie. */
  csrfToken?: string;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export class ApiClient {
  readonly auth: ApiAuth;
  readonly #onUnauthorized: (() => void) | undefined;

  constructor(auth: ApiAuth, onUnauthorized?: () => void) {
    this.auth = auth;
    this.#onUnauthorized = onUnauthorized;
  }

  get usesCookie(): boolean {
    return this.auth.bearer === undefined;
  }

  async request(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json, text/plain, application/x-ndjson" };
    if (this.auth.bearer !== undefined) headers.authorization = `Bearer ${this.auth.bearer}`;
    else if (method !== "GET" && this.auth.csrfToken) headers["x-csrf-token"] = this.auth.csrfToken;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(buildUrl(path, options.query), {
        method,
        headers,
        credentials: "same-origin",
        body: options.body === undefined ? null : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiError(0, {
        type: "about:blank",
        title: "Network error",
        status: 0,
        code: "NETWORK_ERROR",
        detail: "the server could not be reached",
      });
    }
    if (response.ok) return response;
    const problem = await readProblem(response);
    const retry = Number(response.headers.get("retry-after"));
    const error = new ApiError(response.status, problem, Number.isFinite(retry) && retry > 0 ? retry : undefined);
    // A lapsed session sends the person back to sign in; auth endpoints answer 401 for wrong credentials.
    if (response.status === 401 && !path.startsWith("/v1/auth/")) this.#onUnauthorized?.();
    throw error;
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await (await this.request("GET", path, query ? { query } : {})).json()) as T;
  }

  async text(path: string, query?: Query): Promise<string> {
    return (await this.request("GET", path, query ? { query } : {})).text();
  }

  async bytes(path: string, query?: Query): Promise<Uint8Array> {
    return new Uint8Array(await (await this.request("GET", path, query ? { query } : {})).arrayBuffer());
  }

  async send<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body === undefined ? {} : { body });
    if (response.status === 204) return undefined as T;
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") ? await response.json() : undefined) as T;
  }
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return undefined;
  try {
    const body = (await response.json()) as Partial<ProblemDetails>;
    if (typeof body.code !== "string") return undefined;
    return {
      type: body.type ?? "about:blank",
      title: body.title ?? `HTTP ${response.status}`,
      status: body.status ?? response.status,
      code: body.code,
      ...(body.detail !== undefined ? { detail: body.detail } : {}),
      ...(body.problems !== undefined ? { problems: body.problems } : {}),
      ...(body.request_id !== undefined ? { request_id: body.request_id } : {}),
    };
  } catch {
    return undefined;
  }
}
