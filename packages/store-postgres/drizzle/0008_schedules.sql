CREATE TABLE "zart"."schedules" (
	"schedule_id" text PRIMARY KEY NOT NULL,
	"task_name" text NOT NULL,
	"due_at" timestamp with time zone,
	"version" integer NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "zart"."schedules" USING btree ("due_at","schedule_id") WHERE due_at IS NOT NULL;