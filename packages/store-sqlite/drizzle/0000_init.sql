CREATE TABLE `zart_events` (
	`execution_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`event_name` text NOT NULL,
	`payload` text NOT NULL,
	`idempotency_key` text,
	`offered_at` integer NOT NULL,
	`consumed_at` integer,
	PRIMARY KEY(`execution_id`, `sequence`)
);
--> statement-breakpoint
CREATE INDEX `zart_events_mailbox_idx` ON `zart_events` (`execution_id`,`event_name`,`sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `zart_events_idempotency_idx` ON `zart_events` (`execution_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `zart_executions` (
	`execution_id` text PRIMARY KEY NOT NULL,
	`task_name` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`error` text,
	`data` text,
	`attempt` integer DEFAULT 0 NOT NULL,
	`run_at` integer,
	`timeout_at` integer,
	`wait_reason` text,
	`wait_event` text,
	`scheduled_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`lease_owner` text,
	`lease_token` text,
	`lease_expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `zart_executions_due_idx` ON `zart_executions` (`status`,`run_at`,`created_at`,`execution_id`);--> statement-breakpoint
CREATE INDEX `zart_executions_lease_idx` ON `zart_executions` (`status`,`lease_expires_at`,`created_at`,`execution_id`);--> statement-breakpoint
CREATE INDEX `zart_executions_created_idx` ON `zart_executions` (`created_at`,`execution_id`);--> statement-breakpoint
CREATE TABLE `zart_steps` (
	`execution_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`result` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`wake_at` integer,
	`started_at` integer,
	`completed_at` integer,
	`lease_token` text,
	`lease_expires_at` integer,
	`due_at` integer,
	PRIMARY KEY(`execution_id`, `position`)
);
--> statement-breakpoint
CREATE INDEX `zart_steps_child_due_idx` ON `zart_steps` (`status`,`due_at`,`execution_id`,`position`) WHERE "zart_steps"."kind" = 'parallel';--> statement-breakpoint
CREATE INDEX `zart_steps_child_lease_idx` ON `zart_steps` (`status`,`lease_expires_at`,`execution_id`,`position`) WHERE "zart_steps"."kind" = 'parallel';