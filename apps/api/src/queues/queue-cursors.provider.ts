import { QueueCursorCodec } from '@ledger/projections';
import { cursorCodecProvider } from '../read-models/page-cursors';

export const queueCursorsProvider = cursorCodecProvider(QueueCursorCodec, 'queue-cursors');
