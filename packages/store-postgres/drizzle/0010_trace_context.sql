ALTER TABLE "zart"."events" ADD COLUMN "trace_context" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "trace_context" text;--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD COLUMN "trace_context" text;