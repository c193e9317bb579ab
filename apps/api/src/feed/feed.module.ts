import { Module } from '@nestjs/common';
import { FeedController } from './feed.controller';
import { Feeds } from './feeds';

/** `GET /v1/feed`: the log as Server-Sent Events (docs/feed.md). */
@Module({ controllers: [FeedController], providers: [Feeds] })
export class FeedModule {}
