import { FailedAttempts, MAX_FAILED_ATTEMPTS } from './failed-attempts';

describe('failed attempts', () => {
  let now = 0;
  const attempts = () => new FailedAttempts(() => now);
  beforeEach(() => (now = 1_000_000));

  it('slows an address after the limit within a minute, saying so once', () => {
    const failures = attempts();
    for (let attempt = 1; attempt <= MAX_FAILED_ATTEMPTS; attempt++) {
      expect(failures.record('10.0.0.1')).toEqual({ newlySlowed: false });
      now += 1000;
    }
    expect(failures.record('10.0.0.1')).toEqual({ wait: 41, newlySlowed: true });
    expect(failures.record('10.0.0.1')).toMatchObject({ newlySlowed: false });
    expect(failures.record('10.0.0.2')).toEqual({ newlySlowed: false });
  });

  it('hears the address again once its failures leave the window', () => {
    const failures = attempts();
    for (let attempt = 0; attempt <= MAX_FAILED_ATTEMPTS; attempt++) failures.record('a');
    now += 60_000;
    expect(failures.record('a')).toEqual({ newlySlowed: false });
  });
});
