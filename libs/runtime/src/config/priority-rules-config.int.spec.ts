import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KEYWORD_RULES } from '@ledger/domain';
import { ConfigError } from './config-error';
import { priorityRulesFrom } from './priority-rules-config';

describe('priority rules configuration', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'priority-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fileWith(content: string): string {
    const path = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, content);
    return path;
  }

  it('reads keyword rules per channel and the VIP bump from a file', () => {
    const path = fileWith(
      JSON.stringify({
        keywords: [
          { keyword: 'outage', priority: 'urgent', channels: ['phone', 'chat'] },
          { keyword: 'invoice', priority: 'low' },
        ],
        vipBump: false,
      }),
    );

    expect(priorityRulesFrom({ PRIORITY_RULES_FILE: path })).toEqual({
      keywords: [
        { keyword: 'outage', priority: 'urgent', channels: ['phone', 'chat'] },
        { keyword: 'invoice', priority: 'low' },
      ],
      vipBump: false,
    });
  });

  it('keeps the default keywords and VIP bump for what the file leaves out', () => {
    expect(priorityRulesFrom({ PRIORITY_RULES_FILE: fileWith('{}') })).toEqual({
      keywords: DEFAULT_KEYWORD_RULES,
      vipBump: true,
    });
  });

  it.each([
    [
      '{ "keywords": [{ "keyword": "x", "priority": "critical" }] }',
      'keywords[0].priority must be one of',
    ],
    [
      '{ "keywords": [{ "keyword": "x", "priority": "high", "channels": ["fax"] }] }',
      'keywords[0].channels[0] must be one of',
    ],
    [
      '{ "keywords": [{ "keyword": "", "priority": "high" }] }',
      'keywords[0].keyword must be a non-empty string',
    ],
    [
      '{ "keywords": [{ "keyword": "x", "priority": "high", "weight": 2 }] }',
      'keywords[0] has unknown field weight',
    ],
    ['{ "vipBump": "yes" }', 'vipBump must be true or false'],
    ['{ "keywords": {} }', 'keywords must be a list'],
    ['{ "vip": true }', 'has unknown field vip'],
    ['[]', 'must hold an object'],
    ['{ not json', 'is not JSON'],
  ])('names the file and what is wrong in %s', (content, message) => {
    const path = fileWith(content);

    expect(() => priorityRulesFrom({ PRIORITY_RULES_FILE: path })).toThrow(
      new RegExp(
        `^PRIORITY_RULES_FILE=${path.replace(/[.]/g, '\\.')}: ${message.replace(/[[\]]/g, '\\$&')}`,
      ),
    );
  });

  it('names a file it cannot read', () => {
    expect(() => priorityRulesFrom({ PRIORITY_RULES_FILE: join(dir, 'missing.json') })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });

  it('refuses both a rules file and a keyword list', () => {
    expect(() =>
      priorityRulesFrom({ PRIORITY_RULES_FILE: fileWith('{}'), PRIORITY_KEYWORDS: 'x:high' }),
    ).toThrow(ConfigError);
  });
});
