import { ConfigError } from './config-error';

const KEY_BYTES = 32;
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export const MASTER_KEY_FORMS = '32 bytes written as 64 hex digits or as 44 characters of base64';

/** 32 bytes from 64 hex digits or from standard base64 (44 characters, one `=`); undefined for anything else. */
export function parseMasterKey(text: string): Buffer | undefined {
  const key = HEX.test(text)
    ? Buffer.from(text, 'hex')
    : BASE64.test(text)
      ? Buffer.from(text, 'base64')
      : undefined;
  return key?.length === KEY_BYTES ? key : undefined;
}

/**
 * The master key that wraps the customers' data keys, from LEDGER_MASTER_KEY;
 * undefined when unset (one is then kept under DATA_DIR). Processes sharing
 * the data keys (READ_STORE=mongo) must be given the same one: a process
 * with another stops at start.
 */
export function masterKeyFrom(env: NodeJS.ProcessEnv): Buffer | undefined {
  const text = env.LEDGER_MASTER_KEY?.trim();
  if (!text) return undefined;
  const key = parseMasterKey(text);
  if (!key) throw new ConfigError(`LEDGER_MASTER_KEY must be ${MASTER_KEY_FORMS}`);
  return key;
}
