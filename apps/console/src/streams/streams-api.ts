// SIEM streams over the API (/v1/streams, docs/streams.md): list and read
// them with their health, create one, pause, resume, delete, rotate the
// destination's secret. A secret comes back only from create and rotate.
import type { NewStream, WireStream } from "@trailproof/protocol";
import type { ApiClient } from "../api/api-client.js";

export type { NewStream, WireStream, WireStreamHealth } from "@trailproof/protocol";

/** The answer of create and rotate: a webhook's signing secret this once, null for other destinations. */
export interface StreamWithSecret {
  stream: WireStream;
  secret: string | null;
}

const streamPath = (id: string) => `/v1/streams/${encodeURIComponent(id)}`;

export async function listStreams(api: ApiClient): Promise<WireStream[]> {
  return (await api.get<{ streams: WireStream[] }>("/v1/streams")).streams;
}

export async function fetchStream(api: ApiClient, id: string): Promise<WireStream> {
  return (await api.get<{ stream: WireStream }>(streamPath(id))).stream;
}

export function createStream(api: ApiClient, body: NewStream): Promise<StreamWithSecret> {
  return api.send<StreamWithSecret>("POST", "/v1/streams", body);
}

export async function setStreamPaused(api: ApiClient, id: string, paused: boolean): Promise<WireStream> {
  return (await api.send<{ stream: WireStream }>("POST", `${streamPath(id)}/${paused ? "pause" : "resume"}`)).stream;
}

export async function deleteStream(api: ApiClient, id: string): Promise<WireStream> {
  return (await api.send<{ stream: WireStream }>("DELETE", streamPath(id))).stream;
}

/** A webhook gets a new signing secret (answered); a NATS stream takes `token` as its new one. */
export function rotateStreamSecret(api: ApiClient, id: string, token?: string): Promise<StreamWithSecret> {
  return api.send<StreamWithSecret>(
    "POST",
    `${streamPath(id)}/rotate-secret`,
    token === undefined ? {} : { secret: token },
  );
}
