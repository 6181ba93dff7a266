export type { AuditDescriber, AuditEntry, AuditSubject } from './audit-record';
export { AuditProjection, AUDIT_PROJECTION, type AuditRecordDocument } from './audit.projection';
export { readAudit, type AuditPage, type AuditQuery } from './audit.query';
export { InvalidAuditCursorError } from './audit.cursor';
export { AuditModule } from './audit.module';
