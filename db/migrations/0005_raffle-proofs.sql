CREATE TABLE "raffle_picks" (
	"raffle_id" integer NOT NULL,
	"position" integer NOT NULL,
	"number" integer NOT NULL,
	"outcome" text NOT NULL,
	"tier" integer,
	"reason" text,
	"no_show_seq" integer,
	"claim_code" text,
	"claimed_at" timestamp with time zone,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "raffle_picks_raffle_id_position_pk" PRIMARY KEY("raffle_id","position")
);
--> statement-breakpoint
CREATE TABLE "raffle_taps" (
	"raffle_id" integer NOT NULL,
	"number" integer NOT NULL,
	"nonce" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "raffle_taps_raffle_id_number_pk" PRIMARY KEY("raffle_id","number")
);
--> statement-breakpoint
ALTER TABLE "raffle_winners" ADD COLUMN "tier" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "prizes" jsonb;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "pool" jsonb;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "list_hash" text;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "commitment" text;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "seed" text;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "closes_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "taps" jsonb;--> statement-breakpoint
ALTER TABLE "raffles" ADD COLUMN "entropy" text;--> statement-breakpoint
ALTER TABLE "raffle_picks" ADD CONSTRAINT "raffle_picks_raffle_id_raffles_id_fk" FOREIGN KEY ("raffle_id") REFERENCES "public"."raffles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "raffle_taps" ADD CONSTRAINT "raffle_taps_raffle_id_raffles_id_fk" FOREIGN KEY ("raffle_id") REFERENCES "public"."raffles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "raffle_picks_claim_code" ON "raffle_picks" USING btree ("raffle_id","claim_code");