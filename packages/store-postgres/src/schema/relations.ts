import { relations } from "drizzle-orm";
import type { ZartTables } from "./tables.js";

/** The drizzle schema of one Zart schema: its tables plus the relations the reads use. */
export function createOrmSchema(tables: ZartTables) {
  const { executions, steps, events } = tables;
  return {
    executions,
    steps,
    events,
    executionRelations: relations(executions, ({ many }) => ({ steps: many(steps), events: many(events) })),
    stepRelations: relations(steps, ({ one }) => ({
      execution: one(executions, { fields: [steps.executionId], references: [executions.executionId] }),
    })),
    eventRelations: relations(events, ({ one }) => ({
      execution: one(executions, { fields: [events.executionId], references: [executions.executionId] }),
    })),
  };
}

/** What `createOrmSchema` returns. */
export type OrmSchema = ReturnType<typeof createOrmSchema>;
