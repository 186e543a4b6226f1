/** One error type for the whole product, with namespaced literal codes. */
import {
  englishMessage,
  type MessageParams,
  type MessageRef,
  type SaidParams,
  type ServerReason,
} from './server-messages';

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
  | 'cluster.noQuorum'
  | 'internal';

/** One bad field: where it is and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  /** What the message says as a stable reason (shared/server-messages.ts), for a page to show in its own language. */
  readonly reason?: string | undefined;
  readonly params?: SaidParams | undefined;
}

/** The product's error: a namespaced code, a message for people and, for invalid input, every bad field. */
export class AppError extends Error {
  override readonly name = 'AppError';
  /** The message as a stable reason (see shared/server-messages.ts), when it has one. */
  readonly ref: MessageRef | undefined;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: readonly FieldIssue[] = [],
    options?: { cause?: unknown; ref?: MessageRef },
  ) {
    super(message, options);
    this.ref = options?.ref;
  }

  /** An AppError whose message is `reason`'s English text, the reason kept for the pages to translate. */
  static because(
    code: AppErrorCode,
    reason: ServerReason,
    params?: MessageParams,
    details: readonly FieldIssue[] = [],
  ): AppError {
    const ref = params === undefined ? { reason } : { reason, params };
    return new AppError(code, englishMessage(ref), details, { ref });
  }

  /** True when `error` is an AppError, optionally with one of `codes`. */
  static match(error: unknown, ...codes: AppErrorCode[]): error is AppError {
    return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
  }
}
