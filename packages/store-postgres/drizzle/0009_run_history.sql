CREATE TABLE "zart"."runs" (
	"execution_id" text NOT NULL,
	"run" integer NOT NULL,
	"status" text NOT NULL,
	"task_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"details" jsonb NOT NULL,
	CONSTRAINT "runs_execution_id_run_pk" PRIMARY KEY("execution_id","run")
);
--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "run" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "runs_completed_idx" ON "zart"."runs" USING btree ("completed_at");