import type { InputHTMLAttributes } from 'vue';

/**
 * Attributes for the native <input>/<textarea> inside naive-ui's NInput, so end-to-end tests can
 * find it. Its `inputProps` type lists no data-* attributes, though the DOM takes them.
 */
export function inputTestId(id: string): InputHTMLAttributes {
  const attrs: Record<string, string> = { 'data-testid': id };
  return attrs;
}
