-- Single-choice votes become choice responses ({"optionIds": [id]}), keeping their revisions.
INSERT INTO "responses" ("interaction_id", "number", "slot", "event_id", "response", "rev", "at")
SELECT "poll_id", "number", '', "event_id", jsonb_build_object('optionIds', jsonb_build_array("option_id")), "rev", "at"
FROM "votes"
ON CONFLICT DO NOTHING;
