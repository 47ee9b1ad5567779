/**
 * Hostile command lines of every shape, scaled to about `n` characters: the detect tests check the
 * analysis of each at 1 MB, and the benchmark (bench/p6-linear.ts) times each at two sizes to show
 * the work grows linearly with the line.
 */
import type { WmicAnalysis } from '../../lambda/detect/index.js';
import { shell, wmic } from './helpers.js';

export interface HostileShape {
  readonly name: string;
  /** This shape's line at about `n` characters. */
  line(n: number): string;
  /** The analysis of a line (as a wmic.exe row, or as a parent-shell row of the shape's shell). */
  analyse(line: string): WmicAnalysis;
}

const w = (name: string, line: (n: number) => string): HostileShape => ({ name, line, analyse: (l) => wmic(l) });
const s = (name: string, image: string, line: (n: number) => string): HostileShape => ({ name, line, analyse: (l) => shell(image, l) });

export const HOSTILE_SHAPES: readonly HostileShape[] = [
  w('no spaces at all', (n) => 'x'.repeat(n)),
  w('a /node list of n/2 elements', (n) => `wmic /node:${'a,'.repeat(n / 2)} process call create x`),
  w('a payload of quotes', (n) => `wmic /node:FS01 process call create ${'"'.repeat(n)}`),
  w('a repeated /node switch', (n) => `wmic ${'/node:x '.repeat(n / 8)}`),
  w('escaped quotes inside an open quote', (n) => `wmic /node:FS01 process call create "${'\\"'.repeat(n / 2)}`),
  w('open parentheses in a where clause', (n) => `wmic /node:FS01 process where ${'('.repeat(n)} call create x`),
  w('n/2 comma-separated parameters', (n) => `wmic /node:FS01 process call create ${'a,'.repeat(n / 2)}`),
  w('repeated /password: in a payload', (n) => `wmic /node:FS01 process call create "${'/password:'.repeat(n / 10)}`),
  w('a long word, a quote, then quotes', (n) => `${'a'.repeat(n)}"${'"'.repeat(100)} /node:x`),
  w('whitespace before wmic', (n) => ' \t'.repeat(n / 2) + 'wmic'),
  w('repeated net use with no password', (n) => `wmic /node:FS01 process call create "${'net use '.repeat(n / 8)}`),
  w('repeated -p switches', (n) => `wmic /node:FS01 process call create "${'-p '.repeat(n / 3)}`),
  w('repeated ConvertTo-SecureString with an open quote', (n) => `wmic /node:FS01 process call create "${"ConvertTo-SecureString '".repeat(n / 24)}`),
  w('repeated pipes before ConvertTo-SecureString', (n) => `wmic /node:FS01 process call create "${"' | ".repeat(n / 4)}ConvertTo-SecureString`),
  w('repeated Password= with no end', (n) => `wmic /node:FS01 process call create "${'Password='.repeat(n / 9)}`),
  w('repeated URL user information without @', (n) => `wmic /node:FS01 process call create "${'://a:b'.repeat(n / 6)}`),
  w('repeated look-alike switch names with no value', (n) => `wmic /node:FS01 process call create "${'/\u1D18\u1D18\u1D18 '.repeat(n / 5)}`),
  w('repeated look-alike /ᴘ: switches', (n) => `wmic /node:FS01 process call create "${'/\u1D18: '.repeat(n / 4)}`),
  s('cmd carets', 'cmd.exe', (n) => `cmd /c ${'^'.repeat(n)}wmic /node:x process call create y`),
  s('cmd empty commands chained with &', 'cmd.exe', (n) => `cmd /c ${'& '.repeat(n / 2)}wmic /node:x process call create y`),
  s('PowerShell single quotes', 'powershell.exe', (n) => `powershell -c ${"'".repeat(n)}`),
  s('PowerShell -enc of non-base64 text', 'powershell.exe', (n) => `powershell -enc ${'QQB'.repeat(n / 3)}`),
];
