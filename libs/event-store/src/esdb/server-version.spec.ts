import { assertSupportedServer, UnsupportedServerError } from './server-version';

describe('assertSupportedServer', () => {
  it.each(['23.10.0', '24.10.4', '25.0.0', '26.0.1'])('accepts %s', (version) => {
    expect(() => assertSupportedServer(version)).not.toThrow();
  });

  it.each(['22.10.5', '23.6.0', '21.10.9', '0.0.0'])('refuses %s, naming it', (version) => {
    expect(() => assertSupportedServer(version)).toThrow(UnsupportedServerError);
    expect(() => assertSupportedServer(version)).toThrow(`EventStoreDB ${version}`);
  });

  it('refuses a server that does not report its version', () => {
    expect(() => assertSupportedServer(undefined)).toThrow('does not report its version');
  });

  it('refuses a version it cannot read', () => {
    expect(() => assertSupportedServer('dev')).toThrow(UnsupportedServerError);
  });
});
