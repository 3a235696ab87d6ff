import { type Client, type ClientOptions } from "openapi-fetch";
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
export type Webhook = Schemas["Webhook"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type WebhookEvent = Schemas["WebhookEvent"];
export type Delivery = Schemas["Delivery"];
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
export declare function createBillingClient(baseUrl: string, token: string, options?: Omit<ClientOptions, "baseUrl">): BillingClient;
/**
 * nextCursor reads the cursor of the next page from a list answer's Link
 * header, or undefined on the last page.
 */
export declare function nextCursor(response: Response): string | undefined;
/**
 * verifyWebhookSignature checks a webhook delivery's `Billing-Signature`
 * header (`t=<unix time>,v1=<hex HMAC-SHA256>`) against the raw request
 * body, exactly as received, and the endpoint's secret as it was shown:
 * the HMAC is of `t + "." + body`, keyed with the secret's UTF-8 bytes.
 * A signature older or newer than toleranceSeconds (default 5 minutes)
 * is refused, so a captured delivery cannot be replayed later. Deduplicate
 * deliveries on the event's `id`: a retried event keeps it.
 */
export declare function verifyWebhookSignature(secret: string, header: string, body: string | Uint8Array, toleranceSeconds?: number, nowMs?: number): Promise<boolean>;
