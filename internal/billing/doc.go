// Package billing holds the service's domain: its types (Customer, Product,
// Invoice and their statuses, Tenant, the page queries) and its pure rules
// (the totals and tax breakdown, the invoice status machine, NIT
// normalisation and check digit, the amount bounds of the ledger's columns,
// the dashboard figures' deltas). It does no I/O: it imports money and fault
// and nothing that reaches a database, HTTP or generated code (a test in
// internal/floors holds that).
package billing
