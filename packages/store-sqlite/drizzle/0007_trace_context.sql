ALTER TABLE `zart_events` ADD `trace_context` text;--> statement-breakpoint
ALTER TABLE `zart_executions` ADD `trace_context` text;--> statement-breakpoint
ALTER TABLE `zart_steps` ADD `trace_context` text;