ALTER TABLE `zart_executions` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `detached` integer;--> statement-breakpoint
CREATE INDEX `zart_executions_parent_idx` ON `zart_executions` (`parent_id`,`created_at`,`execution_id`) WHERE "zart_executions"."parent_id" IS NOT NULL;