import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { FeedController } from './feed.controller';
import { Feeds } from './feeds';

/** `GET /v1/feed`: the log as Server-Sent Events (docs/feed.md). */
@Module({ imports: [IdentityModule], controllers: [FeedController], providers: [Feeds] })
export class FeedModule {}
