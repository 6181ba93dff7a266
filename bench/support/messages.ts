import type { AppendRun } from './append-loop';

/** What the benchmark hands each append worker process (as JSON in argv[2]). */
export interface WorkerConfig {
  uri: string;
  dbName: string;
  /** 0-based index of this worker: its streams are named after it, so workers never share one. */
  index: number;
  appends: number;
  streams: number;
}

/** Parent -> worker: start appending (sent once every worker is connected and warmed up). */
export interface GoMessage {
  type: 'go';
}

/** Worker -> parent messages. */
export type WorkerMessage =
  | { type: 'ready' }
  | ({ type: 'done'; appends: number; elapsedMs: number } & AppendRun)
  | { type: 'error'; message: string };
