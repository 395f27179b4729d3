CREATE TABLE `zart_schedules` (
	`schedule_id` text PRIMARY KEY NOT NULL,
	`task_name` text NOT NULL,
	`due_at` integer,
	`version` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `zart_schedules_due_idx` ON `zart_schedules` (`due_at`) WHERE "zart_schedules"."due_at" IS NOT NULL;