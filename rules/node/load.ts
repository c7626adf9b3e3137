/**
 * File loading for the rule engine (Node only): packs from disk, with the built-in calendars of
 * rules/calendars/ and any `<name>.yaml` calendar next to the pack available to `include`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCalendarFile } from '../calendars/calendar-file';
import type { CalendarFile } from '../calendars/calendar-file';
import { parsePack } from '../pack/compile';
import type { CompiledPack } from '../pack/types';

export const BUILTIN_CALENDARS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'calendars');

/** Calendars from a folder's *.yaml files, by their `name`. */
export function loadCalendars(dir: string): Record<string, CalendarFile> {
  const calendars: Record<string, CalendarFile> = {};
  if (!existsSync(dir)) return calendars;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (!/^name:/m.test(text) || !/^holidays:/m.test(text)) continue; // not a calendar (e.g. a pack)
    const calendar = parseCalendarFile(text, file);
    calendars[calendar.name] = calendar;
  }
  return calendars;
}

export function builtinCalendars(): Record<string, CalendarFile> {
  return loadCalendars(BUILTIN_CALENDARS_DIR);
}

/** Compiles pack text read from `path`, with the built-in calendars and those next to it. */
export function compilePackText(text: string, path: string): CompiledPack {
  const calendars = { ...builtinCalendars(), ...loadCalendars(dirname(path)) };
  return parsePack(text, { file: basename(path), calendars });
}

/** Reads and compiles a pack file; throws PackError (named by the file's base name) if invalid. */
export function loadPackFile(path: string): CompiledPack {
  return compilePackText(readFileSync(path, 'utf8'), path);
}
