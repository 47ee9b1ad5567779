/**
 * The one place hunt modules register. Everything else asks the registry: the handler, the CLI
 * and the tests get their hunts from `huntModules(cards)`, never by naming one.
 */
import { definitionOf, HuntRegistryError, parseCard } from '../hunts/index.js';
import { createCardDetector } from './card-detector.js';
import type { CardSource } from '../hunts/index.js';
import type { HuntExtension, HuntModule } from './types.js';
import { WMIC_MODULE } from './wmic.js';
import { WMI_TARGET_MODULE } from './wmi-target/index.js';

/** Every module beside a card, by card ID. A card without a module runs on its own. */
export const HUNT_EXTENSIONS: readonly HuntExtension[] = [WMIC_MODULE, WMI_TARGET_MODULE];

/** The hunt an event without `huntId` runs (the flagship, as before there were several). */
export const DEFAULT_HUNT_ID = WMIC_MODULE.id;

/**
 * The hunts of these cards (in the order given), each with its module's parts. Throws a
 * CardError for a broken card and a HuntRegistryError for a duplicate ID or a module whose card is missing.
 */
export function huntModules(cards: readonly CardSource[], extensions: readonly HuntExtension[] = HUNT_EXTENSIONS): HuntModule[] {
  const seen = new Map<string, string>();
  const hunts = cards.map(({ file, text }) => {
    const card = parseCard(text, file);
    const other = seen.get(card.id);
    if (other !== undefined) throw new HuntRegistryError(`${file}: the ID ${card.id} is already the ID of ${other}; give each card its own ID`);
    seen.set(card.id, file);
    const ext = extensions.find((e) => e.id === card.id);
    const hunt = definitionOf(card, ext?.variants);
    const detector = ext?.detector;
    return {
      card: hunt,
      detector: detector ? (allowlist) => detector(hunt, allowlist) : (allowlist) => createCardDetector({ hunt, allowlist }),
      ...(ext?.evidence && { evidence: ext.evidence }),
    } satisfies HuntModule;
  });
  for (const ext of extensions) {
    if (!seen.has(ext.id)) throw new HuntRegistryError(`a hunt module is registered for ${ext.id}, but no card in hunts/ has that ID: add hunts/${ext.id}.md or remove the module`);
  }
  // A module whose findings stored pairs of another hunt explain gets that hunt's definition.
  return hunts.map((h) => {
    const join = extensions.find((e) => e.id === h.card.id)?.pairJoin;
    if (join === undefined) return h;
    const pairHunt = hunts.find((p) => p.card.id === join.pairHuntId)?.card;
    if (pairHunt === undefined) throw new HuntRegistryError(`the module of ${h.card.id} joins the pairs of ${join.pairHuntId}, but no card in hunts/ has that ID: add hunts/${join.pairHuntId}.md`);
    return { ...h, pairJoin: { pairHunt, suppression: join.suppression } };
  });
}

/** The hunt with this ID; a HuntRegistryError listing the IDs there are when there is none. */
export function huntById(hunts: readonly HuntModule[], id: string): HuntModule {
  const found = hunts.find((h) => h.card.id === id);
  if (!found) throw new HuntRegistryError(`no hunt has the ID "${id.slice(0, 100)}": the hunts are ${hunts.map((h) => h.card.id).join(', ')}`);
  return found;
}
