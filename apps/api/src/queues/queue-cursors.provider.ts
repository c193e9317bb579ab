import { QueueCursorCodec } from './queue-cursor';
import { cursorCodecProvider } from '../read-models/page-cursors';

export const queueCursorsProvider = cursorCodecProvider(QueueCursorCodec, 'queue-cursors');
