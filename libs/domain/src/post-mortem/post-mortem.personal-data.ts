import type { PostMortemEventType } from './post-mortem.events';

/**
 * The free text of each post-mortem event, as paths of keys into its data;
 * `*` stands for every element of an array. Everything else (ids, the
 * root-cause code, kinds, owners, due dates) stays in the clear for the
 * read models and the KPIs.
 */
export const POST_MORTEM_PERSONAL_FIELDS: Record<
  PostMortemEventType,
  readonly (readonly string[])[]
> = {
  PostMortemRecorded: [['wentWell'], ['toImprove'], ['participants', '*', 'role']],
  PostMortemActionPlanned: [['description']],
  PostMortemActionDone: [],
  PostMortemActionDropped: [['reason']],
};
