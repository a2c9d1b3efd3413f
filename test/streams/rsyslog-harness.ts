// A real rsyslog receiver for the syslog destination's tests: Debian's
// rsyslogd as a child process with its own configuration, work directory and
// pid file in a temp directory (never /etc/rsyslog.conf or /dev/log), an
// imtcp listener on 127.0.0.1 in plain TCP and one in TLS (GnuTLS driver,
// RFC 5425), writing each message it receives, raw and as rsyslog parsed it,
// as one JSON line to a file the test reads. docs/syslog.md shows the same
// receiving configuration for production.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SyslogDestinationConfig } from "../../apps/server/src/streams/stream-types.js";

export const RSYSLOGD = "/usr/sbin/rsyslogd";
const GTLS_DRIVER = "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so";

/** Why the rsyslog tests cannot run here, or undefined when they can. */
export function rsyslogMissing(): string | undefined {
  if (!existsSync(RSYSLOGD)) return "rsyslogd is not installed (apt-get install rsyslog; .ci/run does)";
  if (!existsSync(GTLS_DRIVER)) return "rsyslog's GnuTLS driver is not installed (apt-get install rsyslog-gnutls)";
  try {
    execFileSync("certtool", ["--version"], { stdio: "ignore" });
  } catch {
    return "certtool is not installed (apt-get install gnutls-bin)";
  }
  return undefined;
}

/** One message as rsyslog received it: the raw message and the RFC 5424 fields its parser found. */
export interface ReceivedSyslog {
  /** "plain" or "tls": the listener it came in on. */
  input: string;
  rawmsg: string;
  pri: string;
  timestamp: string;
  hostname: string;
  app_name: string;
  procid: string;
  msgid: string;
  structured_data: string;
  msg: string;
}

/** A free TCP port on 127.0.0.1 (free when asked; rsyslog binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function certtool(dir: string, args: string[]): void {
  execFileSync("certtool", args, { cwd: dir, stdio: "ignore" });
}

/**
 * A fresh CA in `dir` (ca.pem, ca-key.pem), and with `serverName`, a server
 * certificate it signed for that DNS name and 127.0.0.1 (server.pem,
 * server-key.pem). Returns the CA certificate's PEM.
 */
export function makeCertificates(dir: string, serverName?: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "ca.tmpl"), 'cn = "trailproof test CA"\nca\ncert_signing_key\nexpiration_days = 2\n');
  certtool(dir, ["--generate-privkey", "--key-type=ecdsa", "--outfile", "ca-key.pem"]);
  certtool(dir, [
    "--generate-self-signed",
    "--load-privkey",
    "ca-key.pem",
    "--template",
    "ca.tmpl",
    "--outfile",
    "ca.pem",
  ]);
  if (serverName !== undefined) {
    writeFileSync(
      join(dir, "server.tmpl"),
      `cn = "${serverName}"\ndns_name = "${serverName}"\nip_address = "127.0.0.1"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n`,
    );
    certtool(dir, ["--generate-privkey", "--key-type=ecdsa", "--outfile", "server-key.pem"]);
    certtool(dir, [
      "--generate-certificate",
      "--load-privkey",
      "server-key.pem",
      "--load-ca-certificate",
      "ca.pem",
      "--load-ca-privkey",
      "ca-key.pem",
      "--template",
      "server.tmpl",
      "--outfile",
      "server.pem",
    ]);
  }
  return readFileSync(join(dir, "ca.pem"), "utf8");
}

function rsyslogConfig(dir: string, plainPort: number, tlsPort: number): string {
  // rsyslog property -> JSON key (ReceivedSyslog); timereported as RFC 3339, the rest as received.
  const properties: [string, string][] = [
    ["inputname", "input"],
    ["rawmsg", "rawmsg"],
    ["pri", "pri"],
    ["timereported", "timestamp"],
    ["hostname", "hostname"],
    ["app-name", "app_name"],
    ["procid", "procid"],
    ["msgid", "msgid"],
    ["structured-data", "structured_data"],
    ["msg", "msg"],
  ];
  const fields = properties
    .map(([name, outname]) => {
      const date = name === "timereported" ? ' dateFormat="rfc3339"' : "";
      return `  property(outname="${outname}" name="${name}"${date} format="jsonf")`;
    })
    .join("\n");
  return `global(
  workDirectory="${dir}/work"
  maxMessageSize="300k"
  defaultNetstreamDriverCAFile="${dir}/tls/ca.pem"
  defaultNetstreamDriverCertFile="${dir}/tls/server.pem"
  defaultNetstreamDriverKeyFile="${dir}/tls/server-key.pem"
)
module(load="imtcp")
template(name="fields" type="list" option.jsonf="on") {
${fields}
}
ruleset(name="received") {
  action(type="omfile" file="${dir}/messages.jsonl" template="fields")
}
input(type="imtcp" address="127.0.0.1" port="${plainPort}" name="plain" ruleset="received")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" name="tls" ruleset="received"
  streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
`;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RsyslogHarness {
  readonly dir: string;
  readonly plainPort: number;
  readonly tlsPort: number;
  /** The CA that signed rsyslog's certificate (for DNS name `serverName` and 127.0.0.1). */
  readonly caPem: string;
  readonly serverName = "syslog.test";
  #child: ChildProcess | undefined;

  private constructor(dir: string, plainPort: number, tlsPort: number, caPem: string) {
    this.dir = dir;
    this.plainPort = plainPort;
    this.tlsPort = tlsPort;
    this.caPem = caPem;
  }

  /** A syslog destination's configuration for the plain TCP listener. */
  plainConfig(): SyslogDestinationConfig {
    return { type: "syslog", host: "127.0.0.1", port: this.plainPort, tls: false };
  }

  /** A syslog destination's configuration for the TLS listener, trusting its CA; `extra` adds or overrides fields. */
  tlsConfig(extra: Partial<SyslogDestinationConfig> = {}): SyslogDestinationConfig {
    return { type: "syslog", host: "127.0.0.1", port: this.tlsPort, tls: true, ca_pem: this.caPem, ...extra };
  }

  /** Writes the configuration and certificates to a new temp directory and starts rsyslogd. */
  static async start(): Promise<RsyslogHarness> {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-rsyslog-"));
    mkdirSync(join(dir, "work"));
    const caPem = makeCertificates(join(dir, "tls"), "syslog.test");
    const plainPort = await freePort();
    const tlsPort = await freePort();
    writeFileSync(join(dir, "rsyslog.conf"), rsyslogConfig(dir, plainPort, tlsPort));
    const harness = new RsyslogHarness(dir, plainPort, tlsPort, caPem);
    await harness.restart();
    return harness;
  }

  /** Starts rsyslogd again (after kill()) on the same ports; resolves once both listeners accept connections. */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error("rsyslogd is running");
    rmSync(join(this.dir, "rsyslogd.pid"), { force: true });
    const log = openSync(join(this.dir, "rsyslogd.log"), "a");
    const child = spawn(RSYSLOGD, ["-n", "-f", join(this.dir, "rsyslog.conf"), "-i", join(this.dir, "rsyslogd.pid")], {
      stdio: ["ignore", log, log],
    });
    this.#child = child;
    child.once("exit", () => {
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + 10_000;
    while (!((await canConnect(this.plainPort)) && (await canConnect(this.tlsPort)))) {
      if (this.#child !== child) throw new Error(`rsyslogd exited: ${this.log()}`);
      if (Date.now() > deadline) throw new Error(`rsyslogd did not listen within 10 s: ${this.log()}`);
      await sleep(50);
    }
  }

  /** SIGKILLs rsyslogd, as a crash would; resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Stops rsyslogd and removes the temp directory. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What rsyslogd wrote to stdout and stderr, for a failing test's message. */
  log(): string {
    const path = join(this.dir, "rsyslogd.log");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  /** Every whole line received so far, in the order rsyslog wrote them. */
  messages(): ReceivedSyslog[] {
    const path = join(this.dir, "messages.jsonl");
    if (!existsSync(path)) return [];
    const text = readFileSync(path, "utf8");
    const whole = text.slice(0, text.lastIndexOf("\n") + 1);
    return whole
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as ReceivedSyslog);
  }

  /** Waits until at least `count` messages (matching `filter`, when given) were received; returns them all. */
  async waitForMessages(
    count: number,
    filter: (m: ReceivedSyslog) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReceivedSyslog[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages().filter(filter);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`received ${found.length} of ${count} messages in ${timeoutMs} ms`);
      await sleep(50);
    }
  }
}
