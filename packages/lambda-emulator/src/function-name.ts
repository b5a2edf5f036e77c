import { awsError } from './lambda-errors.js';

/** A function reference from a request: the bare name and the qualifier, if any. */
export interface FunctionReference {
  readonly name: string;
  readonly qualifier?: string;
}

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Resolves what Lambda accepts as FunctionName: a name (`my-fn`), a name with a qualifier
 * (`my-fn:$LATEST`), a partial ARN (`123456789012:function:my-fn`) or a full ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:my-fn[:qualifier]`).
 *
 * @example
 * ```ts
 * parseFunctionReference('arn:aws:lambda:us-east-1:123456789012:function:echo'); // { name: 'echo' }
 * ```
 */
export function parseFunctionReference(text: string): FunctionReference {
  const parts = text.split(':');
  let rest: string[];
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') invalid(text);
    rest = parts.slice(6);
  } else {
    const functionIndex = parts.indexOf('function');
    rest = functionIndex >= 0 ? parts.slice(functionIndex + 1) : parts;
  }
  const [name, qualifier, ...extra] = rest;
  if (name === undefined || !NAME_PATTERN.test(name) || extra.length > 0) invalid(text);
  if (qualifier === undefined) return { name };
  if (!/^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/.test(qualifier)) invalid(text);
  return { name, qualifier };
}

function invalid(text: string): never {
  throw awsError({
    statusCode: 400,
    errorType: 'InvalidParameterValueException',
    awsMessage: `1 validation error detected: Value '${text}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    retryable: false,
  });
}

/** The ARN of a function (unqualified, or with a qualifier). */
export function functionArn(
  region: string,
  accountId: string,
  name: string,
  qualifier?: string,
): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
