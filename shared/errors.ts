/** One error type for the whole product, with namespaced literal codes. */

export type AppErrorCode =
  | 'config.invalid'
  | 'policy.invalid'
  | 'policy.tooLarge'
  | 'site.invalid'
  | 'state.invalid'
  | 'message.invalid'
  | 'message.tooLarge'
  | 'auth.unauthenticated'
  | 'auth.forbidden'
  | 'auth.tooManyAttempts'
  | 'resource.notFound'
  | 'resource.conflict'
  | 'charger.rejected'
  | 'charger.timeout'
  | 'meter.unavailable'
  | 'storage.unavailable'
  | 'internal';

/** One bad field: where it is and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** The product's error: a namespaced code, a message for people and, for invalid input, every bad field. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: readonly FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `error` is an AppError, optionally with one of `codes`. */
  static match(error: unknown, ...codes: AppErrorCode[]): error is AppError {
    return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
  }
}
