/**
 * What the console benchmark runs inside the page (passed to `page.evaluate`, so each function is
 * self-contained). Times come from the page's own clock: performance marks and measures the
 * workbench records, and requestAnimationFrame deltas.
 */

/** Clicks the sign-in button and resolves with ms from the click to the workbench's first rows drawn. */
export function signInToRows(personId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const button = document.querySelector<HTMLElement>(`[data-testid="sign-in-${personId}"]`);
    if (!button) return reject(new Error(`no sign-in button for ${personId}`));
    performance.clearMarks('workbench:rows');
    const start = performance.now();
    button.click();
    const deadline = start + 60_000;
    const poll = () => {
      const mark = performance.getEntriesByName('workbench:rows').at(-1);
      const rows = document.querySelectorAll('[data-testid="workbench-row"][data-no]').length;
      if (mark && rows > 0) return resolve(mark.startTime - start);
      if (performance.now() > deadline) return reject(new Error('the workbench drew no rows within 60 s'));
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

/** Picks a queue by its test id; resolves with ms from the click to the list drawn. */
export function pickQueue(queueTestId: string): Promise<number> {
  const name = 'workbench:filter';
  const before = performance.getEntriesByName(name).length;
  const el = document.querySelector<HTMLElement>(`[data-testid="${queueTestId}"]`);
  if (!el) return Promise.reject(new Error(`no queue ${queueTestId}`));
  el.click();
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + 30_000;
    const poll = () => {
      const all = performance.getEntriesByName(name);
      if (all.length > before) return resolve((all.at(-1) as PerformanceEntry).duration);
      if (performance.now() > deadline) return reject(new Error('no workbench:filter measure within 30 s'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/** Types `text` into the search box at once (as a paste); resolves with ms from the input to the list drawn. */
export function searchFor(text: string): Promise<number> {
  const name = 'workbench:search';
  const before = performance.getEntriesByName(name).length;
  const input = document.querySelector<HTMLInputElement>('[data-testid="workbench-search"] input');
  if (!input) return Promise.reject(new Error('no search box'));
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, text);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + 30_000;
    const poll = () => {
      const all = performance.getEntriesByName(name);
      if (all.length > before) return resolve((all.at(-1) as PerformanceEntry).duration);
      if (performance.now() > deadline) return reject(new Error('no workbench:search measure within 30 s'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/**
 * Scrolls `selector` by `step` px every frame for `frames` frames (then jumps to the middle and
 * scrolls again) and resolves with every frame interval seen meanwhile (ms).
 */
export function scrollFrames(args: { selector: string; step: number; frames: number }): Promise<number[]> {
  const el = document.querySelector<HTMLElement>(args.selector);
  if (!el) return Promise.reject(new Error(`nothing to scroll at ${args.selector}`));
  const deltas: number[] = [];
  return new Promise((resolve) => {
    let last = performance.now();
    let n = 0;
    const tick = (t: number) => {
      deltas.push(t - last);
      last = t;
      n++;
      if (n === Math.floor(args.frames / 2)) el.scrollTop = Math.floor(el.scrollHeight / 2);
      else el.scrollTop += args.step;
      if (n < args.frames) requestAnimationFrame(tick);
      else resolve(deltas.slice(1));
    };
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  });
}

export interface PlainRow {
  no: string;
  title: string;
  state: string;
  assignee: string | null;
  pool: string | null;
  location: string | null;
  createdAt: string;
}

/**
 * The baseline: the same rows as a plain, non-virtualized table (every row in the DOM) over the
 * workbench list. Resolves with ms from building it to the next frame, and the same for a filter
 * (the rows whose title contains `term`, rebuilt). Plain DOM: a lower bound on a framework table.
 */
export function plainTable(args: { rows: PlainRow[]; term: string }): Promise<{ renderMs: number; filterMs: number }> {
  const list = document.querySelector<HTMLElement>('[data-testid="workbench-list"]');
  if (!list) return Promise.reject(new Error('no workbench list'));
  const box = document.createElement('div');
  box.id = 'plain-baseline';
  const r = list.getBoundingClientRect();
  box.style.cssText = `position:fixed;left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px;overflow:auto;background:#fff;z-index:10;font-size:13px`;
  document.body.appendChild(box);
  const build = (rows: PlainRow[]) => {
    const table = document.createElement('table');
    table.style.cssText = 'width:100%;border-collapse:collapse';
    const body = document.createElement('tbody');
    for (const row of rows) {
      const tr = document.createElement('tr');
      tr.style.height = '40px';
      for (const v of [row.no, row.title, row.state, row.assignee ?? '未指派', row.pool ?? '', row.location ?? '', row.createdAt]) {
        const td = document.createElement('td');
        td.textContent = v;
        td.style.cssText = 'border-bottom:1px solid #eee;padding:0 8px;white-space:nowrap';
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    box.replaceChildren(table);
  };
  const frame = () => new Promise<void>((done) => requestAnimationFrame(() => done()));
  return (async () => {
    let t = performance.now();
    build(args.rows);
    await frame();
    const renderMs = performance.now() - t;
    t = performance.now();
    build(args.rows.filter((x) => x.title.includes(args.term)));
    await frame();
    const filterMs = performance.now() - t;
    build(args.rows);
    await frame();
    return { renderMs, filterMs };
  })();
}
