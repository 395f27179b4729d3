CREATE TABLE "zart"."rate_windows" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_windows_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
ALTER TABLE "zart"."steps" DROP CONSTRAINT "steps_kind_check";--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "rate_key" text;--> statement-breakpoint
ALTER TABLE "zart"."executions" ADD COLUMN "rate_limited_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "rate_windows_end_idx" ON "zart"."rate_windows" USING btree ("window_end");--> statement-breakpoint
ALTER TABLE "zart"."steps" ADD CONSTRAINT "steps_kind_check" CHECK (kind IN ('step', 'sleep', 'event', 'capture', 'parallel', 'child', 'marker', 'transaction', 'gate'));