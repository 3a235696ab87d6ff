// The typed client of the billing API. `schema.ts` beside this file is
// generated from openapi/openapi.yaml by openapi-typescript (`make generate`);
// this file only wires it to openapi-fetch and names the common types. Its
// build, dist/, is committed (consumers install the folder without building
// it); `make test` rebuilds dist/ and fails when it differs from the commit.
import createClient from "openapi-fetch";
/**
 * createBillingClient returns a client for the API at baseUrl that sends
 * token as its bearer token.
 *
 * Amounts arrive as JSON numbers; JavaScript reads them as doubles, which is
 * exact for every amount up to 2^53 cents' worth of digits (about 90 billion
 * COP with cents). Beyond that, parse the raw body with a decimal library.
 */
export function createBillingClient(baseUrl, token, options = {}) {
    return createClient({
        ...options,
        baseUrl,
        headers: { ...options.headers, Authorization: `Bearer ${token}` },
    });
}
/**
 * nextCursor reads the cursor of the next page from a list answer's Link
 * header, or undefined on the last page.
 */
export function nextCursor(response) {
    const link = response.headers.get("Link");
    const m = link?.match(/<([^>]+)>;\s*rel="next"/);
    if (!m)
        return undefined;
    return new URL(m[1], "http://x").searchParams.get("cursor") ?? undefined;
}
