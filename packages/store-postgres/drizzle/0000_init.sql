CREATE SCHEMA "zart";
--> statement-breakpoint
CREATE TABLE "zart"."events" (
	"execution_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"event_name" text NOT NULL,
	"payload" text NOT NULL,
	"idempotency_key" text,
	"offered_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "events_execution_id_sequence_pk" PRIMARY KEY("execution_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "zart"."executions" (
	"execution_id" text PRIMARY KEY NOT NULL,
	"task_name" text NOT NULL,
	"payload" text NOT NULL,
	"status" text NOT NULL,
	"result" text,
	"error" jsonb,
	"data" text,
	"attempt" integer DEFAULT 0 NOT NULL,
	"run_at" timestamp with time zone,
	"timeout_at" timestamp with time zone,
	"wait_reason" text,
	"wait_event" text,
	"scheduled_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"lease_owner" text,
	"lease_token" text,
	"lease_expires_at" timestamp with time zone,
	"event_count" integer DEFAULT 0 NOT NULL,
	"unsettled_children" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone GENERATED ALWAYS AS (CASE WHEN status IN ('pending', 'waiting') THEN run_at WHEN status = 'running' THEN lease_expires_at END) STORED,
	CONSTRAINT "executions_status_check" CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "zart"."steps" (
	"execution_id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"result" text,
	"error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"wake_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"ready_at" timestamp with time zone,
	"lease_owner" text,
	"lease_token" text,
	"lease_expires_at" timestamp with time zone,
	"due_at" timestamp with time zone GENERATED ALWAYS AS (CASE WHEN kind <> 'parallel' THEN NULL WHEN status = 'pending' THEN ready_at WHEN status = 'running' THEN lease_expires_at END) STORED,
	CONSTRAINT "steps_execution_id_position_pk" PRIMARY KEY("execution_id","position"),
	CONSTRAINT "steps_status_check" CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "steps_kind_check" CHECK (kind IN ('step', 'sleep', 'event', 'capture', 'parallel'))
);
--> statement-breakpoint
ALTER TABLE "zart"."events" ADD CONSTRAINT "events_execution_id_executions_execution_id_fk" FOREIGN KEY ("execution_id") REFERENCES "zart"."executions"("execution_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD CONSTRAINT "steps_execution_id_executions_execution_id_fk" FOREIGN KEY ("execution_id") REFERENCES "zart"."executions"("execution_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "events_idempotency_idx" ON "zart"."events" USING btree ("execution_id","idempotency_key") WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_unconsumed_idx" ON "zart"."events" USING btree ("execution_id","event_name","sequence") WHERE consumed_at IS NULL;--> statement-breakpoint
CREATE INDEX "executions_due_idx" ON "zart"."executions" USING btree ("due_at","execution_id") WHERE due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "executions_created_idx" ON "zart"."executions" USING btree ("created_at" DESC NULLS LAST,"execution_id");--> statement-breakpoint
CREATE INDEX "executions_status_created_idx" ON "zart"."executions" USING btree ("status","created_at" DESC NULLS LAST,"execution_id");--> statement-breakpoint
CREATE INDEX "executions_task_created_idx" ON "zart"."executions" USING btree ("task_name","created_at" DESC NULLS LAST,"execution_id");--> statement-breakpoint
CREATE INDEX "executions_completed_idx" ON "zart"."executions" USING btree ("completed_at") WHERE status IN ('completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE INDEX "steps_due_idx" ON "zart"."steps" USING btree ("due_at","execution_id","position") WHERE due_at IS NOT NULL;