import { Extensions } from 'type-graphql';

/**
 * Length limits of text inputs, declared once per field and enforced at one boundary (the
 * served schema's input guard, src/app/input-guard.ts), which also appends "At most N
 * characters." to the field's description in the schema. A String input without a declared
 * limit gets DEFAULT_MAX_CHARS: no free text is unbounded.
 */
export const DEFAULT_MAX_CHARS = 2_000;

/** Search strings: a longer one matches nothing useful and only costs the database time. */
export const SEARCH_MAX_CHARS = 200;

/** A product's description (the catalog's longest free text). */
export const PRODUCT_DESCRIPTION_MAX_CHARS = 20_000;

/** A seller's policies and notes. */
export const POLICY_MAX_CHARS = 20_000;

/** A reason shown to a seller or buyer (rejections, suspensions, refusals). */
export const REASON_MAX_CHARS = 1_000;

/** A CSV file sent as a String argument (under the request body's 4 MB limit). */
export const CSV_MAX_CHARS = 3_000_000;

/** The extension keys the guard and the schema printer read. */
export const MAX_CHARS = 'maxChars';
export const ARG_MAX_CHARS = 'argMaxChars';

/** On an input field or an @ArgsType field: at most `n` characters. */
export const MaxChars = (n: number) => Extensions({ [MAX_CHARS]: n });

/** On a query or mutation: limits of its plain `@Arg` string arguments, by argument name. */
export const ArgMaxChars = (limits: Record<string, number>) => Extensions({ [ARG_MAX_CHARS]: limits });

/**
 * Characters refused in any text input: NUL (PostgreSQL rejects it with a protocol error) and
 * the other C0/C1 control characters, which no name, address or description needs. Tab, line
 * feed and carriage return stay allowed (descriptions, CSV files).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const hasControlCharacter = (value: string) => CONTROL.test(value);

/**
 * Text that is not well-formed Unicode: a lone UTF-16 surrogate (half of a character, as
 * JSON's `\ud800` escape can send). PostgreSQL's text columns would store it replaced by U+FFFD
 * and its json columns refuse it (the audit log's changes failed as a 500), so it is refused
 * at the boundary like a control character. A paired surrogate is one code point, not matched.
 */
const LONE_SURROGATE = /\p{Cs}/u;

export const hasLoneSurrogate = (value: string) => LONE_SURROGATE.test(value);
