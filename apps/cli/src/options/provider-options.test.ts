import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { connectionSettings, LOCAL_CREDENTIALS } from './provider-options.js';

describe('connectionSettings', () => {
  it('gives the emulator fake credentials and us-east-1 unless a region is given', () => {
    const endpoint = 'http://127.0.0.1:9001';
    expect(connectionSettings({ provider: 'local', endpoint })).toEqual({
      endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    expect(connectionSettings({ provider: 'local', endpoint, region: 'eu-west-1' })).toEqual({
      endpoint,
      region: 'eu-west-1',
      credentials: LOCAL_CREDENTIALS,
    });
  });

  it('leaves AWS to the standard credential chain', () => {
    expect(connectionSettings({ provider: 'aws', region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
    });
    expect(connectionSettings({ provider: 'aws' })).toEqual({});
  });

  it('refuses --provider local without --endpoint as bad usage naming --endpoint', () => {
    let failure: unknown;
    try {
      connectionSettings({ provider: 'local' });
    } catch (error) {
      failure = error;
    }
    expect(isMbsError(failure, 'OPTION_INVALID')).toBe(true);
    expect((failure as Error).message).toMatch(/^\[@mbs\/cli\] --endpoint is missing/);
    expect((failure as { details: unknown }).details).toEqual({ option: '--endpoint' });
  });
});
