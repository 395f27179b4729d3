DROP INDEX "zart"."executions_created_idx";--> statement-breakpoint
DROP INDEX "zart"."executions_status_created_idx";--> statement-breakpoint
DROP INDEX "zart"."executions_task_created_idx";--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "released_by" text;--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD COLUMN "released_by" text;--> statement-breakpoint
CREATE INDEX "executions_created_idx" ON "zart"."executions" USING btree ("created_at" DESC NULLS FIRST,"execution_id");--> statement-breakpoint
CREATE INDEX "executions_status_created_idx" ON "zart"."executions" USING btree ("status","created_at" DESC NULLS FIRST,"execution_id");--> statement-breakpoint
CREATE INDEX "executions_task_created_idx" ON "zart"."executions" USING btree ("task_name","created_at" DESC NULLS FIRST,"execution_id");