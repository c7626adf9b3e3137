/// <reference types="vite/client" />
import type { Api } from './types';

declare global {
  interface Window {
    /** Exposed by Electron's preload; absent when the console runs in a browser against the host. */
    readonly closeloop?: Api;
  }
}

export {};
