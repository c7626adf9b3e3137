import { describe, expect, it } from 'vitest';
import { channelFileFor, compareVersions, describeVerdict, updateFeedUrl, updateVerdict } from './check';

const SHA = `${'A'.repeat(86)}==`;
const channel = (version: string) => `version: ${version}\nfiles:\n  - url: Closeloop-Setup-${version}.exe\n    sha512: ${SHA}\n    size: 10\npath: Closeloop-Setup-${version}.exe\nsha512: ${SHA}\nreleaseDate: '2026-12-01T08:00:00.000Z'\n`;

describe('the seat’s update check', () => {
  it('finds the feed under the sync server’s address, whatever its path or scheme', () => {
    expect(updateFeedUrl('https://sync.plant.local:8787')).toBe('https://sync.plant.local:8787/updates/');
    expect(updateFeedUrl('https://sync.plant.local:8787/')).toBe('https://sync.plant.local:8787/updates/');
    expect(updateFeedUrl('http://127.0.0.1:8787/sync')).toBe('http://127.0.0.1:8787/updates/');
    expect(updateFeedUrl('wss://10.0.0.5')).toBe('https://10.0.0.5/updates/');
    expect(() => updateFeedUrl('ftp://x')).toThrow(/not http/);
  });

  it('reads electron-builder’s channel file for the platform', () => {
    expect(channelFileFor('win32', 'x64')).toBe('latest.yml');
    expect(channelFileFor('linux', 'x64')).toBe('latest-linux.yml');
    expect(channelFileFor('linux', 'arm64')).toBe('latest-linux-arm64.yml');
  });

  it('orders versions the semver way: numbers, then pre-releases below their release', () => {
    const sorted = ['0.1.0', '0.2.0-alpha', '0.2.0-alpha.1', '0.2.0-alpha.beta', '0.2.0-beta.2', '0.2.0-beta.11', '0.2.0-rc.1', '0.2.0', '0.10.0', '1.0.0+build.5'];
    for (let i = 1; i < sorted.length; i++) expect(compareVersions(sorted[i - 1]!, sorted[i]!), `${sorted[i - 1]} < ${sorted[i]}`).toBeLessThan(0);
    expect(compareVersions('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(compareVersions('v1.2.3', '1.2.3')).toBe(0);
    expect(() => compareVersions('1.2', '1.2.0')).toThrow(/not a semantic version/);
  });

  it('says "update 0.2.0 available" to a 0.1.0 seat and "none" to a 0.2.0 or newer one', () => {
    const v = updateVerdict('0.1.0', channel('0.2.0'));
    expect(v).toEqual({ kind: 'available', version: '0.2.0', current: '0.1.0', files: ['Closeloop-Setup-0.2.0.exe'], releaseDate: '2026-12-01T08:00:00.000Z' });
    expect(describeVerdict(v)).toBe('update 0.2.0 available (running 0.1.0)');
    expect(updateVerdict('0.2.0', channel('0.2.0')).kind).toBe('none');
    expect(updateVerdict('0.3.0-beta.1', channel('0.2.0')).kind).toBe('none');
  });

  it('says what is wrong with a channel file it cannot use', () => {
    expect(updateVerdict('0.1.0', 'version: [')).toMatchObject({ kind: 'unreadable', problem: expect.stringMatching(/latest\.yml: not YAML/) });
    expect(updateVerdict('0.1.0', `version: 0.2.0\nfiles:\n  - url: ../evil.exe\n    sha512: ${SHA}\n`)).toMatchObject({ kind: 'unreadable', problem: expect.stringMatching(/files\.0\.url/) });
    expect(updateVerdict('0.1.0', 'version: soon\nfiles: []\n')).toMatchObject({ kind: 'unreadable' });
  });
});
