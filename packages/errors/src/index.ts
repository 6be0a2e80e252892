export { BalkanAuditError, isBalkanAuditError } from './base-error.js';
export type { BalkanAuditErrorJSON, BalkanAuditErrorOptions } from './base-error.js';
