import { capitalise } from '../lib/format';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{capitalise(status)}</span>;
}

export function EnvironmentBadge({ environment }: { environment: string }) {
  return <span className={`badge badge-env-${environment}`}>{capitalise(environment)}</span>;
}
