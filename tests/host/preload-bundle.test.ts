import { describe, expect, it } from 'vitest';
import { resolveConfig } from 'electron-vite';
import { build, type Rolldown } from 'vite';

/**
 * Electron's sandboxed preload may only require('electron'). Build the preload exactly as
 * `electron-vite build` does (in memory) and check what the bundle requires.
 */
describe('the built preload', () => {
  it('requires electron and nothing else, and carries no zod or domain code', async () => {
    const resolved = await resolveConfig({ root: process.cwd(), logLevel: 'silent' }, 'build', 'production');
    const preload = resolved.config?.preload;
    expect(preload).toBeDefined();
    if (!preload) return;
    const out = await build({ ...preload, logLevel: 'silent', build: { ...preload.build, write: false } });
    const outputs = (Array.isArray(out) ? out : [out as Rolldown.RolldownOutput]).flatMap((o) => o.output);
    const chunks = outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
    expect(chunks.map((c) => c.fileName)).toEqual(['index.cjs']);
    const code = chunks[0]?.code ?? '';
    const required = new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(code).not.toMatch(/ZodError|safeParse|z\.object|ticketSchema|DEMO_TEMPLATE/);
    expect(code).toContain('exposeInMainWorld("closeloop"');
  }, 60_000);
});
