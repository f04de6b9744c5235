/**
 * Parsing of `WWW-Authenticate` challenges (RFC 9110 §11.6.1): one header value may hold several challenges,
 * and a response may carry several headers.
 *
 * @module
 */

/** One challenge of a `WWW-Authenticate` header: a scheme with its parameters or its token68. */
export interface AuthChallenge {
  /** The auth scheme, lower-cased (`"digest"`, `"basic"`...). */
  readonly scheme: string;
  /** The auth parameters, by lower-cased name, with quoted values unquoted. */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form of the challenge (`Negotiate abc==`), when it has one. */
  readonly token68: string | null;
  /** Why the challenge could not be read in full, or `null` when it was well formed. */
  readonly error: string | null;
}

interface ChallengeBuilder {
  scheme: string;
  params: Map<string, string>;
  token68: string | null;
  error: string | null;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*(?=[ \t]*(?:,|$))/y;
const SEPARATORS = /[ \t,]*/y;
const SPACES = /[ \t]*/y;

/** Parses every challenge of the given `WWW-Authenticate` header values, in order. */
export function parseChallenges(headerValues: Iterable<string>): AuthChallenge[] {
  const challenges: ChallengeBuilder[] = [];
  for (const value of headerValues) parseHeaderValue(value, challenges);
  return challenges;
}

function matchAt(pattern: RegExp, text: string, pos: number): string {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0] ?? "";
}

/**
 * Reads one header value. A token followed by `=` is a parameter of the current challenge; any other token starts
 * a new challenge. Parsing stops at the first syntax error, which is recorded on the challenge it belongs to.
 */
function parseHeaderValue(text: string, out: ChallengeBuilder[]): void {
  let current: ChallengeBuilder | undefined;
  let pos = 0;
  for (;;) {
    pos += matchAt(SEPARATORS, text, pos).length;
    if (pos >= text.length) return;
    const name = matchAt(TOKEN, text, pos);
    if (name === "") {
      const error = `unexpected ${JSON.stringify(text[pos])} at position ${pos}`;
      if (current === undefined) out.push({ scheme: "", params: new Map(), token68: null, error });
      else current.error = error;
      return;
    }
    pos += name.length;
    const gap = matchAt(SPACES, text, pos).length;
    if (text[pos + gap] === "=" && current !== undefined) {
      pos = readParam(text, pos + gap + 1, name.toLowerCase(), current);
      if (pos < 0) return;
      continue;
    }
    current = { scheme: name.toLowerCase(), params: new Map(), token68: null, error: null };
    out.push(current);
    const token68 = gap > 0 ? matchAt(TOKEN68, text, pos + gap) : "";
    if (token68 !== "") {
      current.token68 = token68;
      pos += gap + token68.length;
    }
  }
}

/** Reads a parameter value starting at `pos` (just after `=`); returns where parsing goes on, or -1 on error. */
function readParam(text: string, pos: number, name: string, challenge: ChallengeBuilder): number {
  let at = pos + matchAt(SPACES, text, pos).length;
  let value: string;
  if (text[at] === '"') {
    const quoted = readQuoted(text, at);
    if (quoted === null) {
      challenge.error = `unterminated quoted string for "${name}"`;
      return -1;
    }
    [value, at] = quoted;
  } else {
    value = matchAt(TOKEN, text, at);
    at += value.length;
  }
  at += matchAt(SPACES, text, at).length;
  if (at < text.length && text[at] !== ",") {
    challenge.error = `unexpected ${JSON.stringify(text[at])} after "${name}" at position ${at}`;
    return -1;
  }
  challenge.params.set(name, value);
  return at;
}

/** Reads the quoted string opening at `pos`: its unescaped value and the position after its closing quote. */
function readQuoted(text: string, pos: number): [string, number] | null {
  let value = "";
  for (let i = pos + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return [value, i + 1];
    if (char === "\\") i++;
    if (i < text.length) value += text[i];
  }
  return null;
}
