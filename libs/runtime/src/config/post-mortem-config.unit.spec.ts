import { ConfigError } from './config-error';
import { postMortemRequiredFrom } from './post-mortem-config';

describe('POST_MORTEM_REQUIRED', () => {
  it('asks for every trigger by default, for those named, or for none', () => {
    expect(postMortemRequiredFrom({})).toEqual(['management', 're-escalated', 'urgent-breach']);
    expect(postMortemRequiredFrom({ POST_MORTEM_REQUIRED: ' urgent-breach, management ' })).toEqual(
      ['management', 'urgent-breach'],
    );
    expect(postMortemRequiredFrom({ POST_MORTEM_REQUIRED: 'none' })).toEqual([]);
  });

  it('refuses a trigger it does not know, naming it', () => {
    expect(() => postMortemRequiredFrom({ POST_MORTEM_REQUIRED: 'management,vip' })).toThrow(
      ConfigError,
    );
    expect(() => postMortemRequiredFrom({ POST_MORTEM_REQUIRED: 'management,vip' })).toThrow(
      /"vip"/,
    );
  });
});
