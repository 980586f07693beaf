CREATE TABLE "responses" (
	"interaction_id" integer NOT NULL,
	"number" integer NOT NULL,
	"slot" text DEFAULT '' NOT NULL,
	"event_id" integer NOT NULL,
	"response" jsonb,
	"rev" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "responses_interaction_id_number_slot_pk" PRIMARY KEY("interaction_id","number","slot")
);
--> statement-breakpoint
ALTER TABLE "polls" ADD COLUMN "kind" text DEFAULT 'choice' NOT NULL;--> statement-breakpoint
ALTER TABLE "polls" ADD COLUMN "config" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_interaction_id_polls_id_fk" FOREIGN KEY ("interaction_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "responses_event" ON "responses" USING btree ("event_id");