ALTER TABLE `zart_executions` ADD `rerun_of` text;--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `rerun_from_step` text;