ALTER TABLE "zart"."executions" ADD COLUMN "rerun_of" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "rerun_from_step" text;