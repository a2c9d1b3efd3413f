// The syslog destination's public surface: the factory, its settle time, the
// configuration check the stream routes use, and the message reader tests and
// consumers use to check what was sent.

export { parseFrames } from "./octet-counting.js";
export { type ParsedSyslogMessage, parseSyslogMessage } from "./parse-syslog-message.js";
export { DEFAULT_SD_ID } from "./structured-data.js";
export { DEFAULT_APP_NAME, DEFAULT_FACILITY, syslogConfigProblems } from "./syslog-config.js";
export { buildSyslogDestination, SYSLOG_SETTLE_MS, syslogDestination } from "./syslog-destination.js";
export { syslogSeverity } from "./syslog-severity.js";
