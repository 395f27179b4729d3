CREATE TABLE `zart_pause_rules` (
	`rule_id` text PRIMARY KEY NOT NULL,
	`task_name` text NOT NULL,
	`step_name` text,
	`created_at` integer NOT NULL,
	`expires_at` integer
);
