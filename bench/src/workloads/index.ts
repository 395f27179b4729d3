import type { Workload } from "./types.js";
import { w1 } from "./w1-throughput.js";
import { w1b } from "./w1b-single-step.js";
import { w1c } from "./w1c-enqueue-and-run.js";
import { w2 } from "./w2-event-latency.js";
import { w3 } from "./w3-start-latency.js";
import { w4 } from "./w4-fan-out.js";
import { w5 } from "./w5-timers.js";
import { w6 } from "./w6-scale.js";
import { w7 } from "./w7-children.js";
import { w8 } from "./w8-key-limit.js";
import { w9 } from "./w9-transactions.js";
import { w10 } from "./w10-tracing.js";
import { w11 } from "./w11-console-reads.js";

export const WORKLOADS: readonly Workload[] = [w1, w1b, w1c, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11];
