import type { Command } from 'commander';
import { parseQuarter } from '../../../api/src/reviews/quarter';
import { quarterlyReview } from '../../../api/src/reviews/quarterly-review';
import { reviewMarkdown } from '../../../api/src/reviews/review-markdown';
import { ReviewQueryDto } from '../../../api/src/reviews/reviews.controller';
import { checkedAsRequest } from '../api-input';
import { withStores } from '../cli-stores';
import { print } from '../options';

interface ReviewOptions {
  quarter: string;
  format: string;
}

/**
 * `ledger review --quarter 2026Q4 --format md|json`: the quarterly escalation
 * review, as `GET /v1/reviews/escalations` answers it (docs/post-mortems.md).
 */
export function registerReview(ledger: Command): void {
  ledger
    .command('review')
    .description('the quarterly escalation review, as Markdown for the meeting or as JSON')
    .requiredOption('--quarter <quarter>', 'the quarter, such as 2026Q4')
    .option('--format <format>', 'md or json', 'md')
    .action(async (options: ReviewOptions) => {
      // Checked as GET /v1/reviews/escalations checks its query: the same rules and messages.
      const query = await checkedAsRequest(ReviewQueryDto, 'query', {
        quarter: options.quarter,
        format: options.format,
      });
      const quarter = parseQuarter(query.quarter)!;
      const review = await withStores({ existing: true }, ({ readStore }, config) =>
        quarterlyReview(readStore, quarter, {
          requiredBy: config.postMortemRequired,
          now: new Date().toISOString(),
        }),
      );
      await print(
        query.format === 'md' ? reviewMarkdown(review) : `${JSON.stringify(review, null, 2)}\n`,
      );
    });
}
