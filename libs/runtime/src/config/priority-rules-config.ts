import { readFileSync } from 'node:fs';
import {
  CHANNELS,
  DEFAULT_PRIORITY_RULES,
  PRIORITIES,
  type Channel,
  type KeywordRule,
  type PriorityRules,
} from '@ledger/domain';
import { ConfigError } from './config-error';

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** `outage:urgent,refund:high`: each word with the priority it sets, on every channel. */
function keywordsFromList(text: string): KeywordRule[] {
  return text.split(',').map((entry) => {
    const [keyword, priority, ...rest] = entry.split(':').map((part) => part.trim());
    if (!keyword || rest.length > 0 || !isOneOf(PRIORITIES, priority)) {
      throw new ConfigError(
        `PRIORITY_KEYWORDS entry "${entry.trim()}" is not word:priority (priority one of ${PRIORITIES.join(', ')})`,
      );
    }
    return { keyword, priority };
  });
}

function keywordRule(value: unknown, at: string, fail: (message: string) => never): KeywordRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${at} must be an object { keyword, priority, channels? }`);
  }
  const { keyword, priority, channels, ...unknown } = value as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) fail(`${at} has unknown field ${extra[0]}`);
  if (typeof keyword !== 'string' || keyword.trim() === '') {
    fail(`${at}.keyword must be a non-empty string`);
  }
  if (!isOneOf(PRIORITIES, priority))
    fail(`${at}.priority must be one of ${PRIORITIES.join(', ')}`);
  const rule: KeywordRule = { keyword: keyword.trim(), priority: priority };
  if (channels === undefined) return rule;
  if (!Array.isArray(channels) || channels.length === 0) {
    fail(`${at}.channels must be a non-empty list of ${CHANNELS.join(', ')}`);
  }
  channels.forEach((channel, index) => {
    if (!isOneOf(CHANNELS, channel)) {
      fail(`${at}.channels[${index}] must be one of ${CHANNELS.join(', ')}`);
    }
  });
  return { ...rule, channels: channels as Channel[] };
}

/** `{ "keywords": [{ "keyword", "priority", "channels"? }], "vipBump"? }`, each part optional. */
function rulesFromFile(path: string): PriorityRules {
  const fail = (message: string): never => {
    throw new ConfigError(`PRIORITY_RULES_FILE=${path}: ${message}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('must hold an object { keywords?, vipBump? }');
  }
  const { keywords, vipBump, ...unknown } = parsed as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) fail(`has unknown field ${extra[0]}`);
  if (keywords !== undefined && !Array.isArray(keywords)) fail('keywords must be a list');
  if (vipBump !== undefined && typeof vipBump !== 'boolean') fail('vipBump must be true or false');
  return {
    keywords: Array.isArray(keywords)
      ? keywords.map((rule, index) => keywordRule(rule, `keywords[${index}]`, fail))
      : DEFAULT_PRIORITY_RULES.keywords,
    vipBump: (vipBump as boolean | undefined) ?? DEFAULT_PRIORITY_RULES.vipBump,
  };
}

/** The priority rules: from PRIORITY_RULES_FILE, or PRIORITY_KEYWORDS, or the defaults. */
export function priorityRulesFrom(env: NodeJS.ProcessEnv): PriorityRules {
  const file = env.PRIORITY_RULES_FILE?.trim();
  const list = env.PRIORITY_KEYWORDS?.trim();
  if (file && list) {
    throw new ConfigError('PRIORITY_RULES_FILE and PRIORITY_KEYWORDS are both set: keep one');
  }
  if (file) return rulesFromFile(file);
  if (list) return { ...DEFAULT_PRIORITY_RULES, keywords: keywordsFromList(list) };
  return DEFAULT_PRIORITY_RULES;
}
