import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applyNavigationGuard, isAllowedNavigation } from './navigation';
import { appOrigins } from './origins';

const origins = appOrigins();

describe('navigation allow-list', () => {
  it('lets the console move within its own origin', () => {
    expect(isAllowedNavigation('app://closeloop/index.html', origins)).toBe(true);
    expect(isAllowedNavigation('app://closeloop/tickets/1#x', origins)).toBe(true);
  });

  it('stops the internet, files, other schemes and look-alike hosts', () => {
    for (const url of ['https://example.com/', 'http://127.0.0.1:5170/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://closeloop.evil/', 'data:text/html,hi']) {
      expect(isAllowedNavigation(url, origins), url).toBe(false);
    }
  });

  it('guards will-navigate and will-redirect', () => {
    const contents = new EventEmitter();
    applyNavigationGuard(contents as never, origins);
    const fire = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'app://closeloop/index.html')).toBe(false);
  });
});
