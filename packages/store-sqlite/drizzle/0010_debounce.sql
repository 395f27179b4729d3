CREATE TABLE `zart_debounces` (
	`task_name` text NOT NULL,
	`debounce_key` text NOT NULL,
	`execution_id` text NOT NULL,
	`run` integer NOT NULL,
	`starts` integer NOT NULL,
	PRIMARY KEY(`task_name`, `debounce_key`)
);
