/** The most of one client value an error message repeats. */
export const ECHOED_INPUT_LENGTH = 64;

/**
 * A value a client sent, as an error message repeats it: cut after `max`
 * characters with an ellipsis, so that no answer grows with what was sent.
 */
export function echoed(value: unknown, max = ECHOED_INPUT_LENGTH): string {
  const text = String(value);
  if (text.length <= max) return text;
  // A cut between the halves of a surrogate pair would leave half a character.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
