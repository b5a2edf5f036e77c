import { describe, expect, it } from 'vitest';
import { checkPredictionProfile } from './profile-check.js';

const SHA = 'a'.repeat(64);
const measuredConfig = (code: string, provider = 'local') => ({
  profile: 'measured',
  profileSource: {
    kind: 'file' as const,
    path: '/tmp/measured.json',
    sha256: SHA,
    measured: { provider, model: 'default', code },
  },
});

describe('checkPredictionProfile', () => {
  it('warns about a profile nobody measured, naming the commands that fix it', () => {
    const check = checkPredictionProfile({
      config: { profile: 'parametric', profileSource: { kind: 'plugin' } },
      provider: 'local',
      endpoint: 'http://127.0.0.1:9001',
    });
    expect(check.matches).toBe(false);
    expect(check.message).toContain('"parametric", which was not measured');
    expect(check.fix).toBe(
      'mbs profile --zip mbs-lambda.zip --provider local --endpoint http://127.0.0.1:9001 --out measured.json, then mbs solve --profile measured.json (with the same workload options) --out config.json, and deploy and run it again',
    );
  });

  it('warns about a published profile file without the measurement marker', () => {
    const check = checkPredictionProfile({
      config: {
        profile: 'deepspeech',
        profileSource: { kind: 'file', path: '/data/deepspeech.json', sha256: SHA },
      },
    });
    expect(check.matches).toBe(false);
    expect(check.fix).toContain('--provider aws --out measured.json');
  });

  it('accepts a profile measured on the run provider for the package the functions run', () => {
    const code = `sha256:${'b'.repeat(64)}`;
    const check = checkPredictionProfile({
      config: measuredConfig(code),
      provider: 'local',
      deployed: [
        { functionName: 'mbs-b0', record: { package: code } },
        { functionName: 'mbs-b1', record: { package: code } },
      ],
    });
    expect(check).toEqual({
      matches: true,
      message:
        'profile "measured" measured on local (model default), the package the functions run',
    });
  });

  it('warns when the functions run another package than the one measured', () => {
    const check = checkPredictionProfile({
      config: measuredConfig(`sha256:${'b'.repeat(64)}`),
      provider: 'local',
      deployed: [{ functionName: 'mbs-b0', record: { package: `sha256:${'c'.repeat(64)}` } }],
    });
    expect(check.matches).toBe(false);
    expect(check.message).toContain('but the functions run the package sha256:cccccccccccc...');
  });

  it('warns when the profile was measured on another provider', () => {
    const check = checkPredictionProfile({
      config: measuredConfig(`sha256:${'b'.repeat(64)}`),
      provider: 'aws',
    });
    expect(check.matches).toBe(false);
    expect(check.message).toContain('measured on provider local, but the run used aws');
  });

  it('says when the deployed package could not be checked', () => {
    const check = checkPredictionProfile({
      config: measuredConfig(`sha256:${'b'.repeat(64)}`),
      provider: 'local',
    });
    expect(check.matches).toBe(true);
    expect(check.message).toContain('the deployed package could not be checked');
  });
});
