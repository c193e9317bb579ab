// Preloaded (NODE_OPTIONS=--require) into the API the HTTP half of the
// encryption benchmark compares against: its personal-data decorator passes
// every call through, so the only difference between the two servers is the
// sealing. Never loaded outside the benchmark.
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist', 'libs');
const { PersonalDataEventStore } = require(
  join(dist, 'personal-data', 'src', 'personal-data-event-store.js'),
);
const { ForwardingEventStore } = require(
  join(dist, 'event-store', 'src', 'forwarding-event-store.js'),
);

for (const method of ['append', 'readStream', 'readAll']) {
  PersonalDataEventStore.prototype[method] = ForwardingEventStore.prototype[method];
}
