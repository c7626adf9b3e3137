import type { MessageKey } from '../i18n/zh-CN';

/**
 * The workbench's keyboard shortcuts as a pure function: a key press and what the workbench is
 * showing in, the action to take out (or null: let the key through). Keys typed into an input,
 * a text area or an editable element never fire, except Escape, which leaves the field.
 */
export interface ShortcutKey {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Where the key was typed: the target's tag name and whether it is editable. */
  targetTag?: string;
  targetEditable?: boolean;
}

export interface ShortcutState {
  /** How many rows the list has, and which is selected (-1: none). */
  rowCount: number;
  selected: number;
  mayCreate: boolean;
  /** What the signed-in person may do to the selected ticket now. */
  mayAccept: boolean;
  mayDispatch: boolean;
  /** A dialog or the shortcut list is open: only Escape and ? act. */
  overlayOpen: boolean;
}

export type ShortcutAction =
  | { kind: 'focusSearch' }
  | { kind: 'select'; index: number }
  | { kind: 'open'; index: number }
  | { kind: 'newTicket' }
  | { kind: 'accept'; index: number }
  | { kind: 'dispatch'; index: number }
  | { kind: 'help' }
  | { kind: 'escape' };

/** The list the `?` key shows: keys and the i18n key of what they do. */
export const SHORTCUTS: readonly { keys: string; what: MessageKey }[] = [
  { keys: '/', what: 'workbench.key.search' },
  { keys: 'j / ↓', what: 'workbench.key.next' },
  { keys: 'k / ↑', what: 'workbench.key.previous' },
  { keys: 'Enter', what: 'workbench.key.open' },
  { keys: 'n', what: 'workbench.key.new' },
  { keys: 'a', what: 'workbench.key.accept' },
  { keys: 'd', what: 'workbench.key.dispatch' },
  { keys: '?', what: 'workbench.key.help' },
  { keys: 'Esc', what: 'workbench.key.escape' },
];

const EDITABLE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function isTyping(k: ShortcutKey): boolean {
  return k.targetEditable === true || (k.targetTag !== undefined && EDITABLE_TAGS.has(k.targetTag.toUpperCase()));
}

export function shortcutAction(k: ShortcutKey, s: ShortcutState): ShortcutAction | null {
  if (k.key === 'Escape') return { kind: 'escape' };
  if (k.ctrlKey || k.metaKey || k.altKey) return null;
  if (isTyping(k)) return null;
  if (k.key === '?') return { kind: 'help' };
  if (s.overlayOpen) return null;
  const last = s.rowCount - 1;
  const has = s.selected >= 0 && s.selected <= last;
  switch (k.key) {
    case '/':
      return { kind: 'focusSearch' };
    case 'j':
    case 'ArrowDown':
      return s.rowCount === 0 ? null : { kind: 'select', index: Math.min(last, s.selected + 1) };
    case 'k':
    case 'ArrowUp':
      return s.rowCount === 0 ? null : { kind: 'select', index: Math.max(0, s.selected - 1) };
    case 'Enter':
      return has ? { kind: 'open', index: s.selected } : null;
    case 'n':
      return s.mayCreate ? { kind: 'newTicket' } : null;
    case 'a':
      return has && s.mayAccept ? { kind: 'accept', index: s.selected } : null;
    case 'd':
      return has && s.mayDispatch ? { kind: 'dispatch', index: s.selected } : null;
    default:
      return null;
  }
}
