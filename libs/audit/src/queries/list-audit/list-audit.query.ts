import type { AuditQuery } from '../../audit.query';

/** The recorded actions, newest first, filtered. */
export class ListAuditQuery {
  constructor(readonly query: AuditQuery) {}
}
