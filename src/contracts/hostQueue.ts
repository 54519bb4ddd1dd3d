// What `python -m brightrun_trainer queue ...` prints about a host's run queue (python/brightrun_trainer/host_queue.py
// keeps it in <workdir>/queue.json). Read by the engine on every side: the Runs view, the CLI and the follower.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

export const HostQueueEntry = lazySchema(() =>
  z.object({
    run_id: z.string(),
    run_dir: z.string(),
    /** waiting: in the queue; running: started from it and holding its GPUs. */
    state: z.enum(['waiting', 'running']),
    /** 1 = next to start; null once running. */
    position: z.number().int().min(1).nullable(),
    gpus: z.number().int(),
    /** GPU indices a running entry holds (CUDA_VISIBLE_DEVICES); empty on a CPU host. */
    devices: z.array(z.number().int()),
    pid: z.number().int().nullable(),
    /** Whether its waiter or trainer is up; a waiting run without one waits for the next attach to restart it. */
    alive: z.boolean(),
    queued_at: z.string().nullable().optional(),
  }),
);
export type HostQueueEntry = z.infer<typeof HostQueueEntry>;

export const HostQueueListing = lazySchema(() => z.object({ queue: z.array(HostQueueEntry) }));

export const RevivedWaiter = lazySchema(() => z.object({ started: z.boolean(), pid: z.number().int().nullable(), pgid: z.number().int().nullable() }));
export const MovedUp = lazySchema(() => z.object({ run_id: z.string(), position: z.number().int().min(1) }));
export const CancelledWaiting = lazySchema(() => z.object({ cancelled: z.boolean() }));
