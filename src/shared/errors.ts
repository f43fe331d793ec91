/** Error codes that cross a process boundary or reach an HTTP client. Only `{ code, message }` travels. */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'duplicate'
  | 'idempotency_conflict'
  | 'suppressed'
  | 'screened_out'
  | 'consent_required'
  | 'rate_limited'
  | 'too_many_connections'
  | 'shutting_down'
  | 'storage_unavailable'
  | 'conflict'
  | 'read_only'
  | 'invalid_workspace'
  | 'database_too_new'
  | 'folder_locked'
  | 'database_corrupt'
  | 'demo_folder_refused'
  | 'signing_key_missing'
  | 'signing_key_mismatch'
  | 'unknown_ping'
  | 'ping_used'
  | 'ping_expired'
  | 'ping_mismatch'
  | 'internal';

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

export class PingdeskError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: { status?: number; details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PingdeskError';
    this.code = code;
    this.status = options.status ?? statusFor(code);
    this.details = options.details;
  }

  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'consent_required':
    case 'screened_out':
    case 'invalid_workspace':
    case 'ping_mismatch':
      return 422;
    case 'ping_expired':
      return 410;
    case 'invalid_json':
      return 400;
    case 'unsupported_media_type':
      return 415;
    case 'payload_too_large':
      return 413;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'read_only':
      return 403;
    case 'not_found':
    case 'unknown_ping':
      return 404;
    case 'duplicate':
    case 'idempotency_conflict':
    case 'suppressed':
    case 'conflict':
    case 'ping_used':
      return 409;
    case 'rate_limited':
    case 'too_many_connections':
      return 429;
    case 'shutting_down':
    case 'storage_unavailable':
      return 503;
    default:
      return 500;
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof PingdeskError) return err.toWire();
  return { code: 'internal', message: 'Internal error' };
}
