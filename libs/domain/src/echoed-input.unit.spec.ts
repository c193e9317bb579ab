import { echoed } from './echoed-input';

describe('an echoed client value', () => {
  it('is repeated whole up to 64 characters', () => {
    expect(echoed('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('is cut after 64 characters, with an ellipsis', () => {
    expect(echoed('a'.repeat(15_000))).toBe(`${'a'.repeat(64)}…`);
  });

  it('is never cut between the halves of a character outside the BMP', () => {
    expect(echoed(`${'a'.repeat(63)}😀😀`)).toBe(`${'a'.repeat(63)}…`);
  });

  it('shows a value that is not a string as text', () => {
    expect(echoed(42)).toBe('42');
  });
});
