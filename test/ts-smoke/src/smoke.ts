// The TypeScript client's smoke test: it must type-check against the
// generated types (so a spec change that breaks the client fails `make
// test`), then run a whole flow against a live service.
import assert from "node:assert/strict";
import { createBillingClient, nextCursor, verifyWebhookSignature, type InvoiceStatus } from "@nitida/billing-client";

const baseUrl = process.env.BILLING_URL;
const adminToken = process.env.ADMIN_TOKEN;
const viewerToken = process.env.VIEWER_TOKEN;
if (!baseUrl || !adminToken || !viewerToken) {
  throw new Error("BILLING_URL, ADMIN_TOKEN and VIEWER_TOKEN must be set");
}
const admin = createBillingClient(baseUrl, adminToken);
const viewer = createBillingClient(baseUrl, viewerToken);
const suffix = Date.now().toString().slice(-8);

const before = await viewer.GET("/billing/dashboard");
assert.equal(before.response.status, 200);
assert.ok(before.data);

const customer = await admin.POST("/billing/customers", {
  body: { razonSocial: `Colegio Smoke ${suffix}`, nit: `7${suffix}`, email: "smoke@colegio.edu.co" },
});
assert.equal(customer.response.status, 201, JSON.stringify(customer.error));
assert.ok(customer.data);

const product = await admin.POST("/billing/products", {
  body: { nombre: `Matrícula ${suffix}`, precio: 850000 },
});
assert.equal(product.response.status, 201, JSON.stringify(product.error));
assert.ok(product.data);
assert.equal(product.data.impuesto, 19);

// The demo tenant invoices electronically (it has a fiscal profile and
// DIAN's test range): drafts carry no numero; issuing assigns one.
const invoice = await admin.POST("/billing/invoices", {
  body: {
    customerId: customer.data.id,
    items: [
      { productServiceId: product.data.id, cantidad: 1 },
      { descripcion: "Material didáctico", cantidad: 3, valorUnitario: 45000 },
    ],
  },
});
assert.equal(invoice.response.status, 201, JSON.stringify(invoice.error));
assert.ok(invoice.data);
assert.equal(invoice.data.status, "DRAFT");
assert.equal(invoice.data.numero, undefined);
assert.equal(invoice.data.cufe, null);
assert.equal(invoice.data.subtotal, 985000);
assert.equal(invoice.data.impuestos, 187150);
assert.equal(invoice.data.total, 1172150);
assert.equal(invoice.data.customer.nit, `7${suffix}`);

const issued: InvoiceStatus = "ISSUED";
const changed = await admin.PATCH("/billing/invoices/{id}/status", {
  params: { path: { id: invoice.data.id } },
  body: { status: issued },
});
assert.equal(changed.response.status, 200, JSON.stringify(changed.error));
assert.equal(changed.data?.status, "ISSUED");
assert.match(changed.data?.numero ?? "", /^SETP99\d{7}$/);
assert.match(changed.data?.cufe ?? "", /^[0-9a-f]{96}$/);
assert.ok(changed.data?.qr?.includes(`CUFE: ${changed.data?.cufe}`));

const xml = await viewer.GET("/billing/invoices/{id}/xml", { params: { path: { id: invoice.data.id } }, parseAs: "text" });
assert.equal(xml.response.status, 200);
assert.equal(xml.response.headers.get("content-type"), "application/xml");
assert.ok(typeof xml.data === "string" && xml.data.includes(`>${changed.data?.cufe}</cbc:UUID>`));
const pdf = await viewer.GET("/billing/invoices/{id}/pdf", { params: { path: { id: invoice.data.id } }, parseAs: "arrayBuffer" });
assert.equal(pdf.response.status, 200);
assert.equal(new TextDecoder().decode((pdf.data as ArrayBuffer).slice(0, 5)), "%PDF-");

// What is owed: a payment, then a credit note for one unit of the
// material, which lowers the balance by its value and its tax.
assert.equal(changed.data?.saldo, 1172150);
assert.equal(changed.data?.estadoPago, "PENDIENTE");
const paid = await admin.POST("/billing/invoices/{id}/payments", {
  params: { path: { id: invoice.data.id } },
  body: { valor: 500000, fecha: (changed.data?.issuedAt ?? "").slice(0, 10), medioPago: "47" },
});
assert.equal(paid.response.status, 201, JSON.stringify(paid.error));
assert.equal(paid.data?.reversado, false);
const note = await admin.POST("/billing/invoices/{id}/credit-notes", {
  params: { path: { id: invoice.data.id } },
  body: { concepto: 1, motivo: "Devolución de material", lineas: [{ itemId: invoice.data.items[1].id, cantidad: 1 }] },
});
assert.equal(note.response.status, 201, JSON.stringify(note.error));
assert.equal(note.data?.total, 53550); // 45000 + 19 %
assert.match(note.data?.cude ?? "", /^[0-9a-f]{96}$/);
const owed = await viewer.GET("/billing/invoices/{id}", { params: { path: { id: invoice.data.id } } });
assert.equal(owed.data?.saldo, 1172150 - 500000 - 53550);
assert.equal(owed.data?.estadoPago, "PARCIAL");
const noteXml = await viewer.GET("/billing/credit-notes/{id}/xml", { params: { path: { id: note.data?.id ?? "" } }, parseAs: "text" });
assert.ok(typeof noteXml.data === "string" && noteXml.data.includes(`>${changed.data?.cufe}</cbc:UUID>`));

// A refused change answers a typed problem.
const refused = await admin.PATCH("/billing/invoices/{id}/status", {
  params: { path: { id: invoice.data.id } },
  body: { status: "DRAFT" },
});
assert.equal(refused.response.status, 400);
assert.equal(refused.error?.code, "invalid_status_transition");

const detail = await viewer.GET("/billing/invoices/{id}", { params: { path: { id: invoice.data.id } } });
assert.equal(detail.data?.customer.email, "smoke@colegio.edu.co");
assert.equal(detail.data?.items.length, 2);

const page = await viewer.GET("/billing/invoices", { params: { query: { status: "ISSUED", limit: 1 } } });
assert.equal(page.response.status, 200);
assert.equal(page.data?.length, 1);
assert.ok(nextCursor(page.response) === undefined || typeof nextCursor(page.response) === "string");

const after = await viewer.GET("/billing/dashboard");
assert.ok(after.data && before.data);
assert.equal(after.data.facturasEmitidas, before.data.facturasEmitidas + 1);
assert.equal(after.data.ingresosEstimados, before.data.ingresosEstimados + 1172150);
assert.equal(after.data.ingresosNetos, before.data.ingresosNetos + 1172150 - 53550);

// The webhook signature check, on the vector the Go tests compute
// (HMAC-SHA256("whsec_test", "1767225600." + body)).
const vector = "t=1767225600,v1=f2a0e9cc79f6a8d5063bc6718561e872509983827740ea4ee5622da1c7e8d2b4";
const at = 1767225600 * 1000;
assert.equal(await verifyWebhookSignature("whsec_test", vector, '{"id":"x"}', 300, at), true);
assert.equal(await verifyWebhookSignature("whsec_test", vector, '{"id":"y"}', 300, at), false);
assert.equal(await verifyWebhookSignature("whsec_other", vector, '{"id":"x"}', 300, at), false);
assert.equal(await verifyWebhookSignature("whsec_test", vector, '{"id":"x"}', 300, at + 301_000), false);

console.log("smoke: 1 passed, 0 failed");
