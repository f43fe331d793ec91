import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './child.js';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  /** `function (file:line)`, file relative to the repository. */
  where: string;
  selfMs: number;
  selfPct: number;
  /** Self time plus everything it called. */
  totalMs: number;
  totalPct: number;
}

export interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Functions by self time. */
  bySelf: HotSpot[];
  /** Functions of src/engine by inclusive time (where the engine's time goes, callees included). */
  engineByTotal: HotSpot[];
  /** Self time grouped by file or package. */
  byFile: Array<{ file: string; selfMs: number; selfPct: number }>;
}

export function shortUrl(url: string): string {
  if (!url) return '(native)';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  if (p.startsWith(REPO_DIR)) return path.relative(REPO_DIR, p);
  return p;
}

/** Self and inclusive time per function, from the sample counts of a V8 CPU profile. */
export function summariseProfile(file: string, top = 20): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));

  const key = (id: number): string => {
    const f = byId.get(id)?.callFrame;
    if (!f) return '?';
    // tsx hands V8 transformed code, so lines in src/ are not source lines: name the file only.
    const line = f.url && !f.url.includes('/src/') && !f.url.includes('/bench/') ? `:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} (${shortUrl(f.url)}${line})`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  let sampled = 0;
  for (const [id, us] of selfUs) {
    sampled += us;
    self.set(key(id), (self.get(key(id)) ?? 0) + us);
    const f = byId.get(id)?.callFrame;
    const file = f?.url ? shortUrl(f.url) : `(${f?.functionName || 'native'})`;
    files.set(file, (files.get(file) ?? 0) + us);
    // Inclusive time: every distinct function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(cur);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const spot = (where: string): HotSpot => ({
    where,
    selfMs: Math.round((self.get(where) ?? 0) / 1000),
    selfPct: Math.round(((self.get(where) ?? 0) / sampled) * 1000) / 10,
    totalMs: Math.round((total.get(where) ?? 0) / 1000),
    totalPct: Math.round(((total.get(where) ?? 0) / sampled) * 1000) / 10,
  });
  const sortBy = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  return {
    file: path.relative(REPO_DIR, file),
    sampledMs: Math.round(sampled / 1000),
    bySelf: sortBy(self).slice(0, top).map(spot),
    engineByTotal: sortBy(total).filter((k) => k.includes('src/engine/')).slice(0, top).map(spot),
    byFile: sortBy(files).slice(0, top).map((f) => ({ file: f, selfMs: Math.round((files.get(f) ?? 0) / 1000), selfPct: Math.round(((files.get(f) ?? 0) / sampled) * 1000) / 10 })),
  };
}
