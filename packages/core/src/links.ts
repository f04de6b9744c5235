/**
 * Parsing of `Link` headers (RFC 8288), as `response.links` exposes them.
 *
 * @module
 */

/** One link of a `Link` header: its target `url` and its parameters (`rel`, `type`, `title`...) by name. */
export type Link = { readonly url: string } & Readonly<Record<string, string>>;

const QUOTES_AND_SPACES = /^[\s'"]+|[\s'"]+$/g;
const URL_DELIMITERS = /^[\s<>'"]+|[\s<>'"]+$/g;

/**
 * Parses a `Link` header value such as `<https://api.example.com/items?page=2>; rel="next", </hub>; rel=hub` into
 * its links, in order. Lenient like httpx: quotes around values are dropped, and a malformed parameter ends the
 * parameters of its link.
 */
export function parseLinkHeader(value: string): Link[] {
  const links: Link[] = [];
  const trimmed = value.replace(QUOTES_AND_SPACES, "");
  if (trimmed === "") return links;
  for (const entry of trimmed.split(/, *</)) {
    const semicolon = entry.indexOf(";");
    const target = semicolon === -1 ? entry : entry.slice(0, semicolon);
    const params = semicolon === -1 ? "" : entry.slice(semicolon + 1);
    const link: [string, string][] = [["url", target.replace(URL_DELIMITERS, "")]];
    for (const param of params.split(";")) {
      const parts = param.split("=");
      if (parts.length !== 2) break;
      link.push([parts[0]!.replace(QUOTES_AND_SPACES, ""), parts[1]!.replace(QUOTES_AND_SPACES, "")]);
    }
    // fromEntries defines own properties, so a parameter named `__proto__` stays a plain key.
    links.push(Object.fromEntries(link) as Link);
  }
  return links;
}

/** Indexes links by their `rel` parameter, or by their url when they have none; a later link wins a tie. */
export function linksByRelation(links: readonly Link[]): Record<string, Link> {
  return Object.fromEntries(links.map((link) => [link["rel"] || link.url, link]));
}
