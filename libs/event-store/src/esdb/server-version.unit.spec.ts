import { whyUnsupported } from './server-version';

describe('an EventStoreDB server for the log', () => {
  it.each(['23.10.0', '24.10.4', '25.0.0', '26.0.1'])('may be %s', (version) => {
    expect(whyUnsupported(version)).toBeUndefined();
  });

  it.each(['22.10.5', '23.6.0', '21.10.9', '0.0.0'])('is not %s, named', (version) => {
    expect(whyUnsupported(version)).toBe(
      `is EventStoreDB ${version}: the log needs 23.10 or later`,
    );
  });

  it('reports its version', () => {
    expect(whyUnsupported(undefined)).toBe(
      'does not report its version: the log needs EventStoreDB 23.10 or later',
    );
  });

  it('reports a version that starts with its major and minor numbers', () => {
    expect(whyUnsupported('dev')).toBe('is EventStoreDB dev: the log needs 23.10 or later');
  });
});
