import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Locale } from '../types';

const LOCALE_KEY = 'closeloop.locale';
const DARK_KEY = 'closeloop.dark';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this window only.
  }
}

/** The console's own preferences: language (zh-CN first) and dark mode, kept in localStorage. */
export const useUiStore = defineStore('ui', () => {
  const localeRef = ref<Locale>(read(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN');
  const darkRef = ref(read(DARK_KEY) === '1');

  const locale = computed(() => localeRef.value);
  const dark = computed(() => darkRef.value);

  function setLocale(l: Locale): void {
    localeRef.value = l;
    write(LOCALE_KEY, l);
  }

  function setDark(on: boolean): void {
    darkRef.value = on;
    write(DARK_KEY, on ? '1' : '0');
  }

  return { locale, dark, setLocale, setDark };
});
