import { Logger } from '@nestjs/common';
import type { MongoClient } from 'mongodb';

/**
 * The parts of the driver's internal server monitor this watchdog reads (mongodb 7.x). Looked up
 * defensively: a driver that lays them out otherwise simply gets no watchdog (and a warning).
 */
interface MonitorInterval {
  isExecutionInProgress: boolean;
  /** performance.now() when the last check ended. */
  lastExecutionEnded: number;
}
interface ServerMonitor {
  monitorId?: MonitorInterval;
  close(): void;
  connect(): void;
}
interface MonitoredServer {
  description?: { address?: string };
  monitor?: ServerMonitor;
}

export interface MonitorWatchdogOptions {
  heartbeatFrequencyMS: number;
  connectTimeoutMS: number;
  /** How often the monitors are looked at. */
  everyMs?: number;
}

/** Time beyond a heartbeat and a connect timeout before a check counts as stuck. */
const MARGIN_MS = 5_000;

/**
 * Restarts the driver's server monitor when its check is stuck. Seen here (mongodb 7.8 on FerretDB
 * restarted under load, about one outage in two): the monitor's heartbeat runs on a connection the
 * server closed, the check's promise never settles, so no heartbeat ever succeeds again, the server
 * stays "Unknown" and every operation of the process fails server selection with the error of the
 * closed connection, long after the database is back (the "the worker never reconnected").
 * A check cannot legitimately take longer than a heartbeat interval plus a connect timeout: past
 * that, the monitor is closed and started again, and its first check reconnects.
 */
export class MonitorWatchdog {
  private readonly logger = new Logger('Database');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: MongoClient,
    private readonly options: MonitorWatchdogOptions,
  ) {}

  start(): void {
    if (!this.monitors()) {
      this.logger.warn('the driver does not expose its server monitors: no monitor watchdog');
      return;
    }
    this.timer = setInterval(() => this.check(), this.options.everyMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Looks at every monitor once; returns how many were restarted. */
  check(now = performance.now()): number {
    const limit = this.options.heartbeatFrequencyMS + this.options.connectTimeoutMS + MARGIN_MS;
    let restarted = 0;
    for (const server of this.monitors() ?? []) {
      const monitor = server.monitor;
      const interval = monitor?.monitorId;
      if (!monitor || !interval?.isExecutionInProgress) continue;
      const stuckFor = now - interval.lastExecutionEnded;
      if (!Number.isFinite(stuckFor) || stuckFor < limit) continue;
      this.logger.error(
        `the database monitor of ${server.description?.address ?? 'the server'} has been checking for ${Math.round(stuckFor / 1000)} s: restarting it`,
      );
      monitor.close();
      monitor.connect();
      restarted++;
    }
    return restarted;
  }

  private monitors(): MonitoredServer[] | undefined {
    const topology = (this.client as unknown as { topology?: { s?: { servers?: unknown } } })
      .topology;
    const servers = topology?.s?.servers;
    if (!(servers instanceof Map)) return undefined;
    return [...(servers.values() as IterableIterator<MonitoredServer>)];
  }
}
