import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './child.js';
import { shortUrl } from './cpu-profile.js';

/**
 * The parts of a V8 sampling heap profile (`HeapProfiler.stopSampling`) this summary reads. The bench
 * samples with the objects collected by minor and major GCs kept in, so the profile counts everything
 * allocated in the window, garbage included: what the young generation has to sweep per lead.
 */
interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapProfileNode[];
}

export interface AllocationSpot {
  /** `function (file)`: the innermost frame of the engine's own code on the allocating stack, or a package. */
  where: string;
  kibPerLead: number;
  pct: number;
}

export interface AllocationSummary {
  file: string;
  leads: number;
  kibPerLead: number;
  /** Allocations by the innermost src/engine frame on their stack (library code below it counts to it). */
  byEngineFrame: AllocationSpot[];
  /** Allocations with no engine frame on their stack, by package or Node module (sockets, timers, the HTTP server). */
  outsideEngine: AllocationSpot[];
}

const isEngine = (url: string) => url.includes('/src/engine/');

function frameName(f: HeapProfileNode['callFrame']): string {
  return `${f.functionName || '(anonymous)'} (${shortUrl(f.url)})`;
}

function packageOf(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url ? shortUrl(url) : '(V8 and native)';
}

/** Bytes allocated per lead, and where, from a sampling heap profile of a window in which `leads` finished. */
export function summariseAllocations(file: string, leads: number, top = 15): AllocationSummary {
  const root = (JSON.parse(readFileSync(file, 'utf8')) as { head: HeapProfileNode }).head;
  const engine = new Map<string, number>();
  const outside = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapProfileNode, innermostEngine: string | null) => {
    const here = isEngine(node.callFrame.url) ? frameName(node.callFrame) : innermostEngine;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const [into, key] = here ? [engine, here] : [outside, packageOf(node.callFrame.url)];
      into.set(key, (into.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(root, null);
  const perLead = (bytes: number) => Math.round((bytes / 1024 / Math.max(1, leads)) * 100) / 100;
  const spots = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, bytes]) => ({ where, kibPerLead: perLead(bytes), pct: Math.round((bytes / Math.max(1, total)) * 1000) / 10 }));
  return { file: path.relative(REPO_DIR, file), leads, kibPerLead: perLead(total), byEngineFrame: spots(engine), outsideEngine: spots(outside) };
}
