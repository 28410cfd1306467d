/**
 * Shell quoting and word splitting for generated sbatch scripts and the
 * `--extra-sbatch "..."` option (private to lib/workbench/slurm).
 */

/**
 * Quotes one word for a POSIX shell (single quotes; safe words stay bare).
 * @param word any string
 * @returns the word as the shell must see it
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Splits a command-line fragment into words the way a shell would for plain
 * words, single and double quotes and backslash escapes (no expansions).
 * @param text e.g. `--qos=high --comment "two words"`
 * @returns the words
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new TypeError(`Cannot split "${text}" into words as a ${quote} quote is not closed`);
  if (inWord) words.push(cur);
  return words;
}
