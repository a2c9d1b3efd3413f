// A syslog destination's configuration with its defaults resolved once, and
// the problems of one that cannot work (for the stream routes to report as
// RFC 9457 problems before a stream is created).
import type { Problem } from "@trailproof/core";
import type { SyslogDestinationConfig } from "../../stream-types.js";
import { MAX_APP_NAME_LENGTH } from "./header-fields.js";
import { DEFAULT_SD_ID, isPrivateSdId } from "./structured-data.js";

/** RFC 5424 facility 13, "log audit". */
export const DEFAULT_FACILITY = 13;
export const DEFAULT_APP_NAME = "trailproof";

export interface ResolvedSyslogConfig {
  facility: number;
  appName: string;
  sdId: string;
}

export function resolveSyslogConfig(config: SyslogDestinationConfig): ResolvedSyslogConfig {
  return {
    facility: config.facility ?? DEFAULT_FACILITY,
    appName: config.app_name ?? DEFAULT_APP_NAME,
    sdId: config.sd_id ?? DEFAULT_SD_ID,
  };
}

/**
 * Every problem of `config` (untrusted), with pointers under `pointer` (the
 * destination's place in the request body); empty when it can be used.
 */
export function syslogConfigProblems(config: SyslogDestinationConfig, pointer = ""): Problem[] {
  const problems: Problem[] = [];
  if (config.host.trim() === "") problems.push({ pointer: `${pointer}/host`, message: "must name a host" });
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
    problems.push({ pointer: `${pointer}/port`, message: "must be a TCP port, 1-65535" });
  }
  const facility = config.facility;
  if (facility !== undefined && (!Number.isInteger(facility) || facility < 0 || facility > 23)) {
    problems.push({ pointer: `${pointer}/facility`, message: "must be an RFC 5424 facility, 0-23" });
  }
  const appName = config.app_name;
  if (appName !== undefined && !new RegExp(`^[!-~]{1,${MAX_APP_NAME_LENGTH}}$`).test(appName)) {
    problems.push({ pointer: `${pointer}/app_name`, message: "must be 1-48 printable US-ASCII characters, no spaces" });
  }
  if (config.sd_id !== undefined && !isPrivateSdId(config.sd_id)) {
    problems.push({ pointer: `${pointer}/sd_id`, message: "must be name@enterprise-number, at most 32 characters" });
  }
  if (!config.tls && (config.ca_pem !== undefined || config.server_name !== undefined)) {
    problems.push({ pointer: `${pointer}/tls`, message: "must be true when ca_pem or server_name is given" });
  }
  return problems;
}
