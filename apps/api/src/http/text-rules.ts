import { Matches } from 'class-validator';

/**
 * Holds a character that shows: not only spaces, controls and the characters
 * Unicode lets renderers ignore (zero-width spaces and joiners, soft hyphens,
 * bidirectional marks, variation selectors).
 */
const SHOWS_SOMETHING = /[^\s\p{Cc}\p{Default_Ignorable_Code_Point}]/u;

/** Embeddings, overrides, isolates and marks: characters that reorder the text around them. */
const NO_BIDI_CONTROLS = /^[^\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/;

/** Whether an identifier taken from a path reads as one taken from a body would: it shows, without bidi controls. */
export function readsAsStored(text: string): boolean {
  return SHOWS_SOMETHING.test(text) && NO_BIDI_CONTROLS.test(text);
}

/** The text must show something: blank is also text of invisible characters only. */
export function NotBlank(message: string) {
  return Matches(SHOWS_SOMETHING, { message });
}

/**
 * For names and identifiers, which must read as they are stored: a control
 * can make one look like another. Free text keeps them, for right-to-left
 * writing.
 */
export function NoBidiControls() {
  return Matches(NO_BIDI_CONTROLS, {
    message: '$property must not hold bidirectional control characters',
  });
}
