CREATE TABLE `zart_runs` (
	`execution_id` text NOT NULL,
	`run` integer NOT NULL,
	`status` text NOT NULL,
	`task_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`details` text NOT NULL,
	PRIMARY KEY(`execution_id`, `run`)
);
--> statement-breakpoint
CREATE INDEX `zart_runs_completed_idx` ON `zart_runs` (`completed_at`);--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `run` integer;