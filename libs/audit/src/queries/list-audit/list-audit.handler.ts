import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionHost } from '@app/event-store';
import { RequestValidationError } from '@app/platform';
import { InvalidAuditCursorError } from '../../audit.cursor';
import { AUDIT_PROJECTION } from '../../audit.projection';
import { readAudit, type AuditPage } from '../../audit.query';
import { ListAuditQuery } from './list-audit.query';

/**
 * From the audit read model, in the collection of its current generation (the host's runner
 * follows rebuilds), never from the event log: a page costs what it reads (audit.query.ts).
 */
@QueryHandler(ListAuditQuery)
export class ListAuditHandler implements IQueryHandler<ListAuditQuery, AuditPage> {
  constructor(private readonly projections: ProjectionHost) {}

  async execute({ query }: ListAuditQuery): Promise<AuditPage> {
    try {
      return await readAudit(this.projections.runner(AUDIT_PROJECTION).collection, query);
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) {
        throw new RequestValidationError([{ field: 'cursor', message: error.message }]);
      }
      throw error;
    }
  }
}
