ALTER TABLE "zart"."steps" DROP CONSTRAINT "steps_kind_check";--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "detached" boolean;--> statement-breakpoint
CREATE INDEX "executions_parent_created_idx" ON "zart"."executions" USING btree ("parent_id","created_at" DESC NULLS FIRST,"execution_id") WHERE parent_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD CONSTRAINT "steps_kind_check" CHECK (kind IN ('step', 'sleep', 'event', 'capture', 'parallel', 'child', 'marker'));