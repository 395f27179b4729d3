CREATE TABLE `zart_workers` (
	`worker_id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`task_names` text NOT NULL,
	`concurrency` integer NOT NULL,
	`lease_ms` integer NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL
);
