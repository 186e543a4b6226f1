/** Turns driver errors into AppErrors at the edge of the data layer, so no raw driver error reaches a caller. */
import { AppError } from '../../shared/errors';

/** True for DynamoDB's refused condition (a conditional write that lost), in single writes and transactions. */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  return error.name === 'TransactionCanceledException' && error.message.includes('ConditionalCheckFailed');
}

/** Runs a data operation; AppErrors pass through, anything else becomes an `internal` AppError carrying it as cause. */
export async function dataOperation<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (AppError.match(error)) throw error;
    throw new AppError('internal', `data store failure while trying to ${what}`, [], { cause: error });
  }
}

/** Like dataOperation, but a refused condition becomes `resource.conflict` with `conflictMessage`. */
export async function conditionalWrite<T>(
  what: string,
  conflictMessage: string,
  operation: () => Promise<T>,
): Promise<T> {
  return dataOperation(what, async () => {
    try {
      return await operation();
    } catch (error) {
      if (isConditionFailure(error)) throw new AppError('resource.conflict', conflictMessage, [], { cause: error });
      throw error;
    }
  });
}
