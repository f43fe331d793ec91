import type { ConsoleEvents } from '../../shared/console-api.js';
import type { SliceCreator } from './types.js';

export interface JobState {
  id: string;
  label: string;
  done: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface JobsSlice {
  byId: Record<string, JobState>;
  /** Registers a job before its call goes out, so no progress event is missed; returns its id. */
  start: (label: string) => string;
  /** `job.progress` events for jobs this console started; others are ignored. Progress never moves back. */
  progress: (event: ConsoleEvents['job.progress']) => void;
  finish: (id: string) => void;
  forget: (id: string) => void;
}

export const createJobsSlice: SliceCreator<'jobs'> = ({ patch, self, deps }) => ({
  byId: {},
  start(label) {
    const id = deps.newId();
    patch((s) => ({ byId: { ...s.byId, [id]: { id, label, done: 0, total: null, startedAt: deps.now(), finishedAt: null } } }));
    return id;
  },
  progress({ jobId, done, total }) {
    const job = self().byId[jobId];
    if (!job || job.finishedAt != null) return;
    const next: JobState = { ...job, done: Math.max(job.done, done), total: total ?? job.total };
    patch((s) => ({ byId: { ...s.byId, [jobId]: next } }));
  },
  finish(id) {
    const job = self().byId[id];
    if (!job) return;
    const done = job.total != null ? Math.max(job.done, job.total) : job.done;
    patch((s) => ({ byId: { ...s.byId, [id]: { ...job, done, finishedAt: deps.now() } } }));
  },
  forget(id) {
    patch((s) => {
      const byId = { ...s.byId };
      delete byId[id];
      return { byId };
    });
  },
});

/** Progress 0..1, or null while the total is unknown. */
export function jobRatio(job: JobState | undefined): number | null {
  if (!job || job.total == null || job.total === 0) return job?.finishedAt != null ? 1 : null;
  return Math.min(job.done / job.total, 1);
}
