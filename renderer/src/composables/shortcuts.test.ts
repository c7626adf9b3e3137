import { describe, expect, it } from 'vitest';
import { shortcutAction, type ShortcutState } from './shortcuts';

const state: ShortcutState = { rowCount: 10, selected: 3, mayCreate: true, mayAccept: true, mayDispatch: false, overlayOpen: false };

describe('workbench shortcuts', () => {
  it('moves the selection with j/k and the arrows, stopping at the ends', () => {
    expect(shortcutAction({ key: 'j' }, state)).toEqual({ kind: 'select', index: 4 });
    expect(shortcutAction({ key: 'ArrowDown' }, state)).toEqual({ kind: 'select', index: 4 });
    expect(shortcutAction({ key: 'k' }, state)).toEqual({ kind: 'select', index: 2 });
    expect(shortcutAction({ key: 'ArrowUp' }, { ...state, selected: 0 })).toEqual({ kind: 'select', index: 0 });
    expect(shortcutAction({ key: 'j' }, { ...state, selected: 9 })).toEqual({ kind: 'select', index: 9 });
    expect(shortcutAction({ key: 'j' }, { ...state, selected: -1 })).toEqual({ kind: 'select', index: 0 });
    expect(shortcutAction({ key: 'j' }, { ...state, rowCount: 0, selected: -1 })).toBeNull();
  });

  it('opens the selected ticket with Enter, and does nothing with no selection', () => {
    expect(shortcutAction({ key: 'Enter' }, state)).toEqual({ kind: 'open', index: 3 });
    expect(shortcutAction({ key: 'Enter' }, { ...state, selected: -1 })).toBeNull();
  });

  it('focuses the search with / and shows the list with ?', () => {
    expect(shortcutAction({ key: '/' }, state)).toEqual({ kind: 'focusSearch' });
    expect(shortcutAction({ key: '?' }, state)).toEqual({ kind: 'help' });
  });

  it('offers new, accept and dispatch only where the person may', () => {
    expect(shortcutAction({ key: 'n' }, state)).toEqual({ kind: 'newTicket' });
    expect(shortcutAction({ key: 'n' }, { ...state, mayCreate: false })).toBeNull();
    expect(shortcutAction({ key: 'a' }, state)).toEqual({ kind: 'accept', index: 3 });
    expect(shortcutAction({ key: 'd' }, state)).toBeNull();
    expect(shortcutAction({ key: 'd' }, { ...state, mayDispatch: true })).toEqual({ kind: 'dispatch', index: 3 });
  });

  it('does not fire while typing in the search box or any editable field, but Escape leaves it', () => {
    expect(shortcutAction({ key: 'j', targetTag: 'INPUT' }, state)).toBeNull();
    expect(shortcutAction({ key: '/', targetTag: 'textarea' }, state)).toBeNull();
    expect(shortcutAction({ key: 'n', targetTag: 'DIV', targetEditable: true }, state)).toBeNull();
    expect(shortcutAction({ key: '?', targetTag: 'INPUT' }, state)).toBeNull();
    expect(shortcutAction({ key: 'Escape', targetTag: 'INPUT' }, state)).toEqual({ kind: 'escape' });
  });

  it('leaves keys with Ctrl, Cmd or Alt to the browser, and stays quiet under a dialog', () => {
    expect(shortcutAction({ key: 'n', ctrlKey: true }, state)).toBeNull();
    expect(shortcutAction({ key: 'k', metaKey: true }, state)).toBeNull();
    expect(shortcutAction({ key: 'j' }, { ...state, overlayOpen: true })).toBeNull();
    expect(shortcutAction({ key: '?' }, { ...state, overlayOpen: true })).toEqual({ kind: 'help' });
  });
});
