CREATE TABLE "zart"."pause_rules" (
	"rule_id" text PRIMARY KEY NOT NULL,
	"task_name" text NOT NULL,
	"step_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone
);
