import { describe, expect, it } from 'vitest';
import { functionArn, parseFunctionReference } from './function-name.js';

describe('parseFunctionReference', () => {
  it('accepts names, qualified names, partial and full ARNs', () => {
    expect(parseFunctionReference('echo')).toEqual({ name: 'echo' });
    expect(parseFunctionReference('echo:$LATEST')).toEqual({ name: 'echo', qualifier: '$LATEST' });
    expect(parseFunctionReference('123456789012:function:echo')).toEqual({ name: 'echo' });
    expect(parseFunctionReference(functionArn('us-east-1', '123456789012', 'echo'))).toEqual({
      name: 'echo',
    });
    expect(parseFunctionReference('arn:aws:lambda:us-east-1:123456789012:function:echo:7')).toEqual(
      {
        name: 'echo',
        qualifier: '7',
      },
    );
  });

  it('refuses malformed names with InvalidParameterValueException', () => {
    for (const text of ['', 'a b', 'x'.repeat(65), 'arn:aws:s3:::bucket', 'echo:1:2']) {
      expect(() => parseFunctionReference(text)).toThrow(/InvalidParameterValueException/);
    }
  });
});
