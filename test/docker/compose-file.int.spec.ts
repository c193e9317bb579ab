import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeUnless } from '../support/describe-unless';

const COMPOSE_FILE = join(__dirname, '..', '..', 'docker', 'compose.yml');

/** `docker-compose` parses and validates a compose file without a Docker engine. */
const compose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const skipReason = compose.status === 0 ? undefined : 'docker-compose is not installed';

describeUnless(skipReason, 'docker/compose.yml', () => {
  it('is a valid compose file with the stores, the API and two projectors', () => {
    const checked = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config', '--services'], {
      encoding: 'utf8',
    });

    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    expect(checked.stdout.trim().split('\n').sort()).toEqual([
      'api',
      'eventstore',
      'mongo',
      'projector',
      'projector-standby',
    ]);
  });
});
