CREATE TABLE `zart_rate_windows` (
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `zart_rate_windows_end_idx` ON `zart_rate_windows` (`window_end`);--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `rate_key` text;--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `rate_limited_until` integer;