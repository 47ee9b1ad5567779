/** Errors of the hunts module: cards that cannot be read, registries that do not add up. */

/** Base class of every hunts error. */
export class HuntsError extends Error {
  override readonly name: string = 'HuntsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One problem of a card: where it is and how to fix it. */
export interface CardProblem {
  readonly file: string;
  /** 1-based line of the card. */
  readonly line: number;
  readonly message: string;
  readonly fix: string;
}

/** Renders a problem as `file:line: message (fix: ...)`, the form editors and CI logs link. */
export function formatCardProblem(p: CardProblem): string {
  return `${p.file}:${p.line}: ${p.message} (fix: ${p.fix})`;
}

/** A card that breaks the format; `problems` lists every one, each with its line and fix. */
export class CardError extends HuntsError {
  override readonly name = 'CardError' as const;
  constructor(readonly problems: readonly CardProblem[]) {
    super(`invalid hunt card:\n${problems.map(formatCardProblem).join('\n')}`);
  }
}

/** Cards and modules that do not add up: a duplicate id, a module without its card, an unknown hunt. */
export class HuntRegistryError extends HuntsError {
  override readonly name = 'HuntRegistryError' as const;
}
