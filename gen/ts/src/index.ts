// The typed client of the billing API. `schema.ts` beside this file is
// generated from openapi/openapi.yaml by openapi-typescript (`make generate`);
// this file only wires it to openapi-fetch and names the common types. Its
// build, dist/, is committed (consumers install the folder without building
// it); `make test` rebuilds dist/ and fails when it differs from the commit.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };

type Schemas = components["schemas"];
export type Customer = Schemas["Customer"];
export type CreateCustomer = Schemas["CreateCustomer"];
export type UpdateCustomer = Schemas["UpdateCustomer"];
export type Product = Schemas["Product"];
export type CreateProduct = Schemas["CreateProduct"];
export type UpdateProduct = Schemas["UpdateProduct"];
export type Invoice = Schemas["Invoice"];
export type InvoiceDetail = Schemas["InvoiceDetail"];
export type InvoiceSummary = Schemas["InvoiceSummary"];
export type InvoiceStatus = Schemas["InvoiceStatus"];
export type InvoiceEvent = Schemas["InvoiceEvent"];
export type CreateInvoice = Schemas["CreateInvoice"];
export type Dashboard = Schemas["Dashboard"];
export type Problem = Schemas["Problem"];

/** A billing API client: every path, parameter, body and answer typed. */
export type BillingClient = Client<paths>;

/**
 * createBillingClient returns a client for the API at baseUrl that sends
 * token as its bearer token.
 *
 * Amounts arrive as JSON numbers; JavaScript reads them as doubles, which is
 * exact for every amount up to 2^53 cents' worth of digits (about 90 billion
 * COP with cents). Beyond that, parse the raw body with a decimal library.
 */
export function createBillingClient(baseUrl: string, token: string, options: Omit<ClientOptions, "baseUrl"> = {}): BillingClient {
  return createClient<paths>({
    ...options,
    baseUrl,
    headers: { ...(options.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` },
  });
}

/**
 * nextCursor reads the cursor of the next page from a list answer's Link
 * header, or undefined on the last page.
 */
export function nextCursor(response: Response): string | undefined {
  const link = response.headers.get("Link");
  const m = link?.match(/<([^>]+)>;\s*rel="next"/);
  if (!m) return undefined;
  return new URL(m[1], "http://x").searchParams.get("cursor") ?? undefined;
}
