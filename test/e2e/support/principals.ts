/** The headers that make a request come from `principal`: the one place tests say who is calling. */
export function actingAs(principal: string): Record<string, string> {
  return { 'x-actor-id': principal };
}
