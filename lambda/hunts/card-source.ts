/** A card's text and where it came from (`hunts/<ID>.md`). */
export interface CardSource {
  readonly file: string;
  readonly text: string;
}
