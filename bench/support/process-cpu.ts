import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of processes from Linux's /proc (user + system), for "where did the time go" figures.
 * Elsewhere (no /proc) every reading is undefined and the figures say n/a.
 */

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = Number.NaN;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of `pid` in seconds, or undefined when it is gone (or there is no /proc). */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  // Fields 14 and 15 of the whole line (utime, stime) are 11 and 12 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / clockTicks() : undefined;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** Arguments joined by spaces. */
  cmdline: string;
}

function listProcesses(): ProcessInfo[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const processes: ProcessInfo[] = [];
  for (const name of names) {
    const pid = Number(name);
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const ppid = Number(statFields(pid)?.[1]);
      processes.push({ pid, ppid, comm, cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return processes;
}

/** A named group of processes, recognised by a predicate (checked again at every snapshot). */
export interface ProcessGroup {
  label: string;
  /** Why the group may be empty, when it was clear already when the group was made. */
  note?: string;
  matches(process: ProcessInfo): boolean;
}

/** The ports of a comma-separated `host:port` list or of a MongoDB URI's hosts. */
function portsOf(hosts: string): Set<string> {
  const ports = new Set<string>();
  for (const host of hosts.split(',')) {
    const match = /:(\d+)$/.exec(host.trim());
    if (match) ports.add(match[1]);
  }
  return ports;
}

/**
 * The servers this benchmark talks to, when they run on this machine: the FerretDB listening on
 * a port of the MongoDB URI, the PostgreSQL cluster behind it (its postmaster and every backend,
 * found by the port in FerretDB's --postgresql-url), and the Kafka broker whose server.properties
 * listens on a port of KAFKA_BROKERS. Matching by port keeps other checkouts' local servers (a CI
 * clone's, say) out of the figures. A real MongoDB (mongod) is counted as the database instead.
 */
export function localServerGroups(mongoHosts: string, kafkaBrokers: string): ProcessGroup[] {
  const processes = listProcesses();
  const mongoPorts = portsOf(mongoHosts);
  const kafkaPorts = portsOf(kafkaBrokers);
  const listensOnMongoPort = (cmdline: string): boolean =>
    [...mongoPorts].some((port) =>
      new RegExp(`--listen-addr[= ]\\S*:${port}(\\s|$)`).test(cmdline),
    );

  const ferretdb = processes.find((p) => p.comm === 'ferretdb' && listensOnMongoPort(p.cmdline));
  const pgPort = ferretdb && /--postgresql-url[= ]\S*@[^/\s]*:(\d+)\//.exec(ferretdb.cmdline)?.[1];
  const postmaster =
    pgPort &&
    processes.find(
      (p) => p.comm === 'postgres' && new RegExp(`\\s-p\\s*${pgPort}(\\s|$)`).test(p.cmdline),
    );
  const brokers = processes.filter(
    (p) => p.comm === 'java' && / kafka\.Kafka /.test(` ${p.cmdline} `) && listensOn(p, kafkaPorts),
  );
  const brokerPids = new Set(brokers.map((p) => p.pid));
  const mongod = processes.filter(
    (p) =>
      p.comm === 'mongod' &&
      [...mongoPorts].some((port) => new RegExp(`--port[= ]${port}(\\s|$)`).test(p.cmdline)),
  );
  const mongodPids = new Set(mongod.map((p) => p.pid));

  const groups: ProcessGroup[] = [];
  if (mongod.length > 0) {
    groups.push({ label: 'mongod', matches: (p) => mongodPids.has(p.pid) });
  } else {
    groups.push({
      label: 'FerretDB',
      note: ferretdb ? undefined : 'no local FerretDB on that port',
      matches: (p) => p.pid === ferretdb?.pid,
    });
    const postmasterPid = postmaster ? postmaster.pid : undefined;
    groups.push({
      label: 'PostgreSQL',
      note: postmasterPid ? undefined : 'no local PostgreSQL behind it',
      matches: (p) =>
        postmasterPid !== undefined && (p.pid === postmasterPid || p.ppid === postmasterPid),
    });
  }
  groups.push({
    label: 'Kafka broker (java)',
    note: brokers.length > 0 ? undefined : 'no local broker on that port',
    matches: (p) => brokerPids.has(p.pid),
  });
  return groups;
}

/** Whether a Kafka broker's server.properties (its last argument) has a listener on `ports`. */
function listensOn(broker: ProcessInfo, ports: Set<string>): boolean {
  const properties = broker.cmdline.split(' ').pop() ?? '';
  try {
    const text = readFileSync(properties, 'utf8');
    const listeners = /^\s*listeners\s*=\s*(.*)$/m.exec(text)?.[1] ?? '';
    return [...ports].some((port) => new RegExp(`:${port}(,|\\s|$)`).test(listeners));
  } catch {
    return false;
  }
}

/** CPU seconds by process id, for the processes of each group at one moment. */
export type GroupSnapshot = Map<string, Map<number, number>>;

export function snapshotGroups(groups: readonly ProcessGroup[]): GroupSnapshot {
  const snapshot: GroupSnapshot = new Map(groups.map((group) => [group.label, new Map()]));
  for (const process of listProcesses()) {
    const group = groups.find((candidate) => candidate.matches(process));
    if (!group) continue;
    const seconds = cpuSeconds(process.pid);
    if (seconds !== undefined) snapshot.get(group.label)?.set(process.pid, seconds);
  }
  return snapshot;
}

/**
 * CPU seconds each group used between two snapshots: for a process present in both, the
 * difference; for one started in between, all of its time. Processes that ended in between are
 * missed (a short-lived PostgreSQL backend, say), so the figure is a lower bound.
 */
export function groupCpuBetween(
  before: GroupSnapshot,
  after: GroupSnapshot,
): { label: string; seconds: number; processes: number }[] {
  const result: { label: string; seconds: number; processes: number }[] = [];
  for (const [label, now] of after) {
    const then = before.get(label) ?? new Map<number, number>();
    let seconds = 0;
    for (const [pid, value] of now) seconds += value - (then.get(pid) ?? 0);
    result.push({ label, seconds, processes: now.size });
  }
  return result;
}
