/**
 * A failure as AWS's JSON 1.1 protocol answers it: `{"__type": ..., "Message": ...}`, HTTP 400
 * for the caller's mistakes and throttling, 403 for credentials and signatures.
 */
export class AwsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
    this.name = type;
  }

  body(): { __type: string; Message: string } {
    return { __type: this.type, Message: this.message };
  }
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}
