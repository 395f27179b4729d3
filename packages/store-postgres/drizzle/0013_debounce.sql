CREATE TABLE "zart"."debounces" (
	"task_name" text NOT NULL,
	"debounce_key" text NOT NULL,
	"execution_id" text NOT NULL,
	"run" integer NOT NULL,
	"starts" integer NOT NULL,
	CONSTRAINT "debounces_task_name_debounce_key_pk" PRIMARY KEY("task_name","debounce_key")
);
