import { QUEUE_KINDS } from "../tasks.js";

/** Queues run one job per "execution" (`one-step`): W1b and W3 only. */
export const JOB_KINDS = QUEUE_KINDS;

/** Bulk-insert batch size for the queues' bulk APIs. */
export const BULK = 1000;
