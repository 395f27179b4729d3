ALTER TABLE "zart"."executions" DROP CONSTRAINT "executions_status_check";--> statement-breakpoint
ALTER TABLE "zart"."steps" DROP CONSTRAINT "steps_status_check";--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "rerun_of" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "rerun_from_step" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD CONSTRAINT "executions_status_check" CHECK (status IN ('pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'));--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD CONSTRAINT "steps_status_check" CHECK (status IN ('pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'));