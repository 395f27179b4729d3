/**
 * The API token in effect: the explicit option, else `ZART_API_TOKEN`; `false` or an empty
 * string means none.
 */
export function resolveToken(option: string | false | undefined): string | undefined {
  if (option === false) return undefined;
  const token = option ?? process.env.ZART_API_TOKEN;
  return token === undefined || token === "" ? undefined : token;
}
