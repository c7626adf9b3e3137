/** Sorted number lists: binary search, insert and remove, for time-ordered indexes. */

/** Index of the first element > value. */
export function upperBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ value. */
export function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(list: number[], value: number): void {
  list.splice(upperBound(list, value), 0, value);
}

export function removeSorted(list: number[], value: number): boolean {
  const i = lowerBound(list, value);
  if (list[i] !== value) return false;
  list.splice(i, 1);
  return true;
}
