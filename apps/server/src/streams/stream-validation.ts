// What the schema cannot say about a new stream, every problem at once: the
// filter parses as a search query, a webhook URL may be reached, NATS server
// URLs parse and carry no credentials (the token is the stream's secret,
// sealed, never in its definition), a syslog CA is a PEM certificate. The
// destinations' own checks list the problems each knows.
import { X509Certificate } from "node:crypto";
import { hasErrorCode, type TrailproofError } from "@trailproof/core";
import { parseSearchQuery } from "@trailproof/protocol";
import { channelUrlProblems } from "../notify/channel-url.js";
import { natsConfigProblems } from "./destinations/nats/nats-config-problems.js";
import { syslogConfigProblems } from "./destinations/syslog/index.js";
import type { DestinationConfig } from "./stream-types.js";

export interface Problem {
  pointer: string;
  message: string;
}

export function filterProblems(filter: string, pointer = "/body/filter"): Problem[] {
  try {
    parseSearchQuery(filter);
    return [];
  } catch (err) {
    if (!hasErrorCode(err, "SEARCH_QUERY_INVALID")) throw err;
    const listed = (err as TrailproofError).problems;
    return (listed.length > 0 ? listed : [{ message: (err as Error).message }]).map((p) => ({
      pointer,
      message: p.message,
    }));
  }
}

export function destinationProblems(d: DestinationConfig, httpHosts: readonly string[]): Problem[] {
  switch (d.type) {
    case "webhook":
      return channelUrlProblems(d.url, httpHosts, "/body/destination/url");
    case "nats":
      return natsConfigProblems(d, "/body/destination");
    case "syslog": {
      const own = syslogConfigProblems(d, "/body/destination");
      // The destination's own check refuses a CA without TLS; what it cannot say is whether the PEM parses.
      if (own.length > 0 || d.ca_pem === undefined) return own;
      try {
        new X509Certificate(d.ca_pem);
        return [];
      } catch {
        return [{ pointer: "/body/destination/ca_pem", message: "is not a PEM certificate" }];
      }
    }
  }
}
