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
/**
 * verifyWebhookSignature checks a webhook delivery's `Billing-Signature`
 * header (`t=<unix time>,v1=<hex HMAC-SHA256>`) against the raw request
 * body, exactly as received, and the endpoint's secret as it was shown:
 * the HMAC is of `t + "." + body`, keyed with the secret's UTF-8 bytes.
 * A signature older or newer than toleranceSeconds (default 5 minutes)
 * is refused, so a captured delivery cannot be replayed later. Deduplicate
 * deliveries on the event's `id`: a retried event keeps it.
 */
export async function verifyWebhookSignature(secret, header, body, toleranceSeconds = 300, nowMs = Date.now()) {
    const parts = new Map();
    for (const p of header.split(",")) {
        const i = p.indexOf("=");
        if (i > 0)
            parts.set(p.slice(0, i).trim(), p.slice(i + 1).trim());
    }
    const t = parts.get("t");
    const v1 = parts.get("v1");
    if (!t || !v1 || !/^[0-9]+$/.test(t) || Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds)
        return false;
    const enc = new TextEncoder();
    const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const payload = typeof body === "string" ? enc.encode(body) : body;
    const signed = new Uint8Array(t.length + 1 + payload.length);
    signed.set(enc.encode(t + "."), 0);
    signed.set(payload, t.length + 1);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
    const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
    if (hex.length !== v1.length)
        return false;
    let diff = 0; // compared in constant time
    for (let i = 0; i < hex.length; i++)
        diff |= hex.charCodeAt(i) ^ v1.charCodeAt(i);
    return diff === 0;
}
