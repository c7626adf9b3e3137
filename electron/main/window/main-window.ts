import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { insecurePreferences, secureWebPreferences } from '../security/web-preferences';

export interface MainWindowSpec {
  preload: string;
  icon?: string;
}

/** The console window's options: the secure web preferences, shown once it has painted. */
export function mainWindowOptions(spec: MainWindowSpec): BrowserWindowConstructorOptions {
  const options: BrowserWindowConstructorOptions = {
    title: 'Closeloop',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#f5f6f8',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(spec.preload),
  };
  if (spec.icon) options.icon = spec.icon;
  return options;
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Opens the console window at `url`; refuses options that break the security rules. */
export async function openMainWindow(Window: WindowCtor, spec: MainWindowSpec, url: string): Promise<BrowserWindow> {
  const options = mainWindowOptions(spec);
  const bad = insecurePreferences(options.webPreferences ?? {});
  if (bad.length > 0) throw new Error(`refusing an insecure window: ${bad.join(', ')}`);
  const win = new Window(options);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(url);
  return win;
}
