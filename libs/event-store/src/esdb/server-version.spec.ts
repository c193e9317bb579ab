import { assertSupportedServer, UnsupportedServerError } from './server-version';

describe('assertSupportedServer', () => {
  it.each(['22.10.0', '23.10.1', '24.10.4', '25.0.0', '26.0.1'])('accepts %s', (version) => {
    expect(() => assertSupportedServer(version)).not.toThrow();
  });

  it.each(['21.10.9', '22.6.0', '20.10.5', '0.0.0'])('refuses %s, naming it', (version) => {
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
