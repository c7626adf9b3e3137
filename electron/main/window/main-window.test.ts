import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { mainWindowOptions, openMainWindow } from './main-window';

describe('the console window', () => {
  it('is created hidden with the secure web preferences and the preload', () => {
    const o = mainWindowOptions({ preload: '/p/index.cjs', icon: '/b/icon.png' });
    expect(o.show).toBe(false);
    expect(o.icon).toBe('/b/icon.png');
    expect(o.webPreferences).toMatchObject({ preload: '/p/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });

  it('loads the URL and shows itself when ready', async () => {
    const made: FakeWindow[] = [];
    class FakeWindow extends EventEmitter {
      shown = false;
      url = '';
      constructor(readonly options: unknown) {
        super();
        made.push(this);
      }
      show() {
        this.shown = true;
      }
      async loadURL(url: string) {
        this.url = url;
        this.emit('ready-to-show');
      }
    }
    await openMainWindow(FakeWindow as never, { preload: '/p/index.cjs' }, 'app://closeloop/');
    expect(made[0]?.url).toBe('app://closeloop/');
    expect(made[0]?.shown).toBe(true);
  });
});
