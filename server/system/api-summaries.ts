/**
 * One line per route for /openapi.json and /docs/api. The test in
 * test/system/openapi.test.ts fails when a route has none, so new routes get one.
 */
export const ROUTE_SUMMARIES: Record<string, string> = {
  'GET /time': 'The server clock, for phones to sync the light show (also the event status)',
  'GET /healthz':
    'Whether the database and the counter layer answer (`{ok}`; 503 when one does not); the details need the metrics token',
  'GET /metrics': 'Prometheus metrics of this instance (Authorization: Bearer METRICS_TOKEN, or a local connection)',
  'GET /w/:code': 'The QR target: checks the wristband in and sends the phone to its event (303)',
  'GET /api/events/:slug': 'The event as a phone or the screen needs it',
  'POST /api/events/:slug/checkin': 'Check in with the code printed on the wristband (sets the guest cookie)',
  'GET /api/events/:slug/me': "This wristband's own votes and wins",
  'POST /api/events/:slug/votes':
    'Answer a poll: optionId(s), value, words or text (202: durably queued; a repeated actionId changes nothing)',
  'POST /api/events/:slug/messages': 'Send a danmaku (202: queued; held when the host pre-moderates)',
  'POST /api/events/:slug/questions': 'Ask the Q&A board a question (202: queued; held when the host pre-moderates)',
  'POST /api/events/:slug/questions/:id/upvote': 'Upvote a question, once per wristband (202)',
  'DELETE /api/events/:slug/questions/:id/upvote': 'Take an upvote back (202)',
  'POST /api/events/:slug/questions/:id/unvote': 'Take an upvote back, for clients that cannot send DELETE (202)',
  'POST /api/events/:slug/answers':
    'Answer a quiz question: once per wristband, before its deadline by the server clock (202 with the accept time)',
  'GET /api/events/:slug/score':
    "This wristband's quiz score and rank after the last scored question (a lookup: ask after each question's end)",
  'PUT /api/events/:slug/nickname': 'Set (or clear, with "") the nickname the quiz leaderboard shows; word-filtered',
  'POST /api/admin/events/:slug/quizzes': 'Build a quiz: questions with 2-6 options, the right ones, seconds, points',
  'GET /api/admin/events/:slug/quizzes': "The event's quizzes with their questions and progress",
  'GET /api/admin/events/:slug/quizzes/:id': 'One quiz with its questions and progress',
  'POST /api/admin/events/:slug/quizzes/:id/next':
    'Start the next question (endsAt = now + seconds); refused while one runs',
  'DELETE /api/admin/events/:slug/nicknames/:number': "Reset a guest's leaderboard nickname",
  'POST /api/events/:slug/reactions':
    'Send a reaction that floats up the big screen (202; counted per tick, never stored)',
  'GET /api/events/:slug/stream': 'The live state as server-sent events',
  'GET /api/events/:slug/snapshot': 'The polling fallback: a snapshot, or the deltas since `?since=`',
  'GET /api/admin/events/:slug/stream': 'The host view as server-sent events',
  'GET /api/admin/events/:slug/snapshot': 'The host view as one snapshot',
  'POST /api/admin/events/:slug/session': 'Sign in with the host secret (sets the host cookie)',
  'DELETE /api/admin/events/:slug/session': 'Sign out (clears the host cookie)',
  'GET /api/admin/events/:slug': 'The event with its status and settings',
  'PUT /api/admin/events/:slug/status': 'Go live, pause (the emergency stop) or end, with a message for every screen',
  'PATCH /api/admin/events/:slug/settings': 'Change some settings; the rest stay as they are',
  'POST /api/admin/events/:slug/polls': 'Write a draft poll of a kind: choice, rating, words (word cloud) or text',
  'GET /api/admin/events/:slug/polls/:id/answers': "An open-text poll's answers, newest first (?state=held: the queue)",
  'POST /api/admin/events/:slug/polls/:id/answers/:number/approve': 'Let a held open answer onto the screen',
  'POST /api/admin/events/:slug/polls/:id/answers/:number/hide': 'Take an open answer off every screen',
  'PUT /api/admin/events/:slug/polls/order': 'Put the polls in the order the host wants (every poll, once each)',
  'PUT /api/admin/events/:slug/polls/:id': 'Rewrite a draft poll (before it is first opened)',
  'POST /api/admin/events/:slug/polls/:id/duplicate':
    'Copy a poll into a new draft (same kind, question, options and settings)',
  'POST /api/admin/events/:slug/polls/:id/reset': 'Clear every response to a poll; it stays open or closed as it was',
  'POST /api/admin/events/:slug/polls/:id/reveal':
    'Show the results of a poll created with hideResults (open or closed)',
  'POST /api/admin/events/:slug/polls/:id/open': 'Open a poll for votes',
  'POST /api/admin/events/:slug/polls/:id/close': 'Close a poll; it keeps its final counts',
  'POST /api/admin/events/:slug/messages/:id/hide': 'Hide a message from every screen',
  'POST /api/admin/events/:slug/messages/:id/approve': 'Let a held message through',
  'POST /api/admin/events/:slug/questions/:id': 'Approve, hide, pin or mark answered a question',
  'POST /api/admin/events/:slug/questions/bulk': 'Approve or hide many questions at once',
  'POST /api/admin/events/:slug/messages/bulk': 'Approve or hide many messages at once',
  'GET /api/admin/events/:slug/bans': 'Wristbands banned from writing',
  'PUT /api/admin/events/:slug/bans/:number': 'Ban a wristband from writing (by its public number)',
  'DELETE /api/admin/events/:slug/bans/:number': 'Lift a ban',
  'GET /api/admin/events/:slug/raffles': 'Every raffle with its rules and winners',
  'POST /api/admin/events/:slug/raffles': 'Create a raffle',
  'POST /api/admin/events/:slug/raffles/:id/draw':
    'Draw the winners (once; after the drum roll, or commit and draw in one step)',
  'POST /api/admin/events/:slug/raffles/eligible': 'How many wristbands some rules let in right now',
  'GET /api/admin/events/:slug/raffles/:id/eligible':
    'How many wristbands are eligible (live, or frozen after the commit)',
  'POST /api/admin/events/:slug/raffles/:id/commit':
    'Freeze the eligible list, publish its hash and the seed commitment, start the drum roll',
  'POST /api/admin/events/:slug/raffles/:id/winners/:number/no-show':
    'Mark a winner absent; the next pick from the same list takes the prize',
  'POST /api/admin/events/:slug/raffles/:id/claims': "Check a winner's claim code and mark the prize claimed",
  'GET /api/admin/events/:slug/exports/:file':
    'Download a CSV, streamed: results.csv, responses.csv, messages.csv, questions.csv or checkins.csv',
  'GET /api/admin/events/:slug/raffles/:id/export': 'Winners, no-shows, passed-over picks and claims as CSV',
  'GET /api/events/:slug/raffles/:id/proof': 'The public proof of a draw (hashes before it, everything after it)',
  'POST /api/events/:slug/raffles/:id/taps':
    "A guest's tap during the drum roll (the draw's entropy; one per wristband)",
  'GET /api/events/:slug/raffles/wins': "This wristband's prizes with their claim codes",
  'GET /api/admin/events/:slug/wristbands': 'The wristband batches',
  'POST /api/admin/events/:slug/wristbands': 'Make a batch of wristbands (their codes are in the answer)',
  'POST /api/admin/events/:slug/wristbands/revoke': 'Revoke wristbands by number or batch; they stop working at once',
  'GET /api/admin/events/:slug/stats': 'What Postgres holds for the event (the flushed truth)',
  'GET /api/admin/events/:slug/attendees': 'Who checked in, when',
  'POST /api/admin/events/:slug/cue-sheets': 'Store a light show cue sheet (content-addressed)',
  'PUT /api/admin/events/:slug/show': 'Start a light show at a time every phone agrees on',
  'DELETE /api/admin/events/:slug/show': 'Stop the light show',
  'GET /api/admin/events/:slug/screen': 'What the big screen is told to show',
  'PUT /api/admin/events/:slug/screen': 'Put a view on the big screen (auto, poll, qa, raffle, join, idle, quiz)',
  'PUT /api/admin/events/:slug/screen/winners': "Bring up (or step) a drawn raffle's winners panel on the big screen",
  'DELETE /api/admin/events/:slug/screen/winners': 'Dismiss the winners panel',
  'GET /cues/:hash': 'A stored cue sheet (immutable)',
  'GET /api/operator/events': 'Every event with its wristband and check-in counts',
  'POST /api/operator/events': 'Create an event (its host secret is in the answer, once)',
  'GET /api/operator/events/:slug/wristbands': 'The wristband batches of an event',
  'POST /api/operator/events/:slug/wristbands': 'Make a batch (or, with dryRun, say what it would make)',
  'POST /api/operator/events/:slug/wristbands/revoke': 'Revoke wristbands by number, code or batch',
  'GET /api/operator/events/:slug/wristbands/export': "A batch's working wristbands, to print them again",
  'GET /': 'The landing page: type a wristband code',
  'GET /e/:slug': 'The guest page (phone)',
  'GET /e/:slug/screen': 'The big screen',
  'GET /e/:slug/admin': 'The admin page',
  'GET /sw.js':
    "The guest page's service worker (JavaScript, no-cache): the page shell, its assets and the last snapshot, for opening offline",
  'GET /e/:slug/raffles/:id/verify': 'The public check of a raffle draw: recomputes the winners in the browser',
}
