/**
 * The wire protocol's plain constants, in a module without zod so that a page's first
 * load (the phone's 60 kB budget) can use them without the schema library; the schema
 * modules re-export them.
 */

/** Questions a snapshot holds: the top of the board (pinned first, then by upvotes). */
export const QUESTIONS_KEPT = 50
export const QUESTION_MAX_CHARS = 280

/** The reactions a guest can send, a small fixed set. */
export const REACTIONS = ['👏', '❤️', '😂', '🎉', '🔥', '😮'] as const

/** How many danmaku a snapshot keeps. */
export const DANMAKU_KEPT = 30

/** Words one guest may put in a word cloud, and how long each may be. */
export const WORDS_PER_GUEST = 3
export const WORD_MAX_CHARS = 40

export const MESSAGE_MAX_CHARS = 200

/**
 * A readable twin of the (httpOnly) guest cookie, set with it on `/e/<slug>`: the guest
 * page asks for `/me` only when it is there (or the phone knew a check-in before), so a
 * phone that never checked in is not greeted by a 401 in its console.
 */
export const CHECKED_IN_MARK = 'gb_in'
