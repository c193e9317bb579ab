import { spawnSync } from 'node:child_process';

/** Why scripts/verify-chain.py cannot run here, or undefined when it can. */
export function pythonMissing(): string | undefined {
  return spawnSync('python3', ['--version']).status === 0
    ? undefined
    : 'python3 is not on the PATH';
}
