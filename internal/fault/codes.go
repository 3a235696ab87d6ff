package fault

// ErrInvalidText answers text PostgreSQL cannot store (a NUL character), which
// the schema's patterns do not exclude.
var ErrInvalidText = Invalid("invalid_request", "A text field contains a character that cannot be stored (NUL).")

// Failures of the tenant check every request makes (403).
var (
	ErrTenantNotFound = &Error{Kind: KindForbidden, Code: "tenant_not_found", Detail: "The token's tenant does not exist."}
	ErrTenantInactive = &Error{Kind: KindForbidden, Code: "tenant_inactive", Detail: "The token's tenant is deactivated."}
)

// Sentinel errors of the customer catalogue.
var (
	ErrCustomerNotFound = &Error{Kind: KindNotFound, Code: "customer_not_found", Detail: "Customer not found."}
	ErrCustomerNitTaken = &Error{Kind: KindInvalid, Code: "customer_nit_taken", Detail: "Another customer of this tenant already has this nit.",
		Fields: []FieldError{{Field: "nit", Message: "is already used by another customer of this tenant"}}}
	ErrCustomerHasInvoices = &Error{Kind: KindConflict, Code: "customer_has_invoices", Detail: "The customer has invoices and cannot be deleted; set its status to INACTIVE instead."}
	ErrNitCheckDigit       = &Error{Kind: KindInvalid, Code: "nit_check_digit_invalid", Detail: "The nit's check digit does not match its number.",
		Fields: []FieldError{{Field: "nit", Message: "check digit does not match"}}}
	// ErrInvoiceCustomerNotFound and ErrInvoiceCustomerInactive refuse an
	// invoice's customerId (400: the body is wrong, not the path).
	ErrInvoiceCustomerNotFound = Invalid("customer_not_found", "The invoice's customer does not exist.",
		FieldError{Field: "customerId", Message: "no such customer"})
	ErrInvoiceCustomerInactive = Invalid("customer_inactive", "The invoice's customer is INACTIVE.",
		FieldError{Field: "customerId", Message: "is INACTIVE"})
)

// Sentinel errors of the product catalogue.
var (
	ErrProductNotFound = &Error{Kind: KindNotFound, Code: "product_not_found", Detail: "Product not found."}
	ErrStockNotTracked = &Error{Kind: KindConflict, Code: "stock_not_tracked",
		Detail: "The product does not track its stock (controlInventario false)."}
	ErrStockInsufficient = &Error{Kind: KindConflict, Code: "stock_insufficient",
		Detail: "Not enough stock: the product may not go below zero (permitirNegativo false)."}
	ErrStockNotZero = &Error{Kind: KindConflict, Code: "stock_not_zero",
		Detail: "A product stops tracking its stock only at 0: adjust it to 0 first."}
	ErrDeliveryProviderNotFound  = &Error{Kind: KindNotFound, Code: "delivery_provider_not_found", Detail: "Delivery provider not found."}
	ErrDeliveryProviderNameTaken = &Error{Kind: KindConflict, Code: "delivery_provider_name_taken",
		Detail: "The tenant has a delivery provider of that name already (names are compared case-insensitively)."}
	ErrOrderNotFound         = &Error{Kind: KindNotFound, Code: "order_not_found", Detail: "Order not found."}
	ErrCashRegisterNotFound  = &Error{Kind: KindNotFound, Code: "cash_register_not_found", Detail: "Cash register not found."}
	ErrCashRegisterNameTaken = &Error{Kind: KindConflict, Code: "cash_register_name_taken",
		Detail: "The tenant has a cash register of that name already (names are compared case-insensitively)."}
	ErrCashRegisterOpen = &Error{Kind: KindConflict, Code: "cash_register_open",
		Detail: "The cash register has an open session; close it before opening another."}
	ErrCashierSessionOpen = &Error{Kind: KindConflict, Code: "cash_session_open",
		Detail: "You have an open session on a cash register already; close it before opening another."}
	ErrCashRegisterClosed = &Error{Kind: KindConflict, Code: "cash_register_closed",
		Detail: "There is no open session of yours on this cash register: open it first."}
	ErrCashSessionOtherCashier = &Error{Kind: KindConflict, Code: "cash_session_other_cashier",
		Detail: "The open session of this cash register is another cashier's: only that cashier or an ADMIN closes it."}
	ErrPaymentMethodNotFound  = &Error{Kind: KindNotFound, Code: "payment_method_not_found", Detail: "Payment method not found."}
	ErrPaymentMethodNameTaken = &Error{Kind: KindConflict, Code: "payment_method_name_taken",
		Detail: "The tenant has a payment method of that name already (names are compared case-insensitively)."}
	ErrNoCashMethod = &Error{Kind: KindConflict, Code: "cash_payment_method_missing",
		Detail: "A paid sale without a paymentMethod is paid in cash, and the tenant has no active cash payment method (codigo 10): send paymentMethod or activate one."}
	ErrSaleNotFound = &Error{Kind: KindNotFound, Code: "sale_not_found",
		Detail: "The invoice was not sold at a point of sale (POST /invoices), or does not exist."}
	ErrSaleIDReused = &Error{Kind: KindConflict, Code: "sale_id_reused",
		Detail: "An invoice with this _id exists already and was made by another request: a retry must send the same body, a new sale a new _id."}
	ErrOrderAlreadyInvoiced = &Error{Kind: KindConflict, Code: "order_already_invoiced",
		Detail: "An order of the sale is invoiced already (FACTURADO): an order is invoiced once."}
	ErrOrderAnnulled = &Error{Kind: KindConflict, Code: "order_status_invalid",
		Detail: "An order of the sale is ANULADO: an annulled order is never invoiced."}
	ErrEInvoiceUnavailable = &Error{Kind: KindConflict, Code: "einvoice_unavailable",
		Detail: "isEInvoice asks for a DIAN electronic invoice, and this tenant has no fiscal profile: set one up (PUT /billing/fiscal-profile) or send isEInvoice false for a POS invoice."}
	ErrNoCashSession = &Error{Kind: KindConflict, Code: "cash_register_closed",
		Detail: "You have no open cash register session: open a register (POST /billing/cash-registers/{id}/open) before invoicing at the point of sale."}
)

// Sentinel errors of the invoice ledger.
var (
	ErrInvoiceNotFound    = &Error{Kind: KindNotFound, Code: "invoice_not_found", Detail: "Invoice not found."}
	ErrInvoiceNumeroTaken = &Error{Kind: KindInvalid, Code: "invoice_numero_taken", Detail: "Another invoice of this tenant already has this numero.",
		Fields: []FieldError{{Field: "numero", Message: "is already used"}}}
	ErrInvoiceNotDraft = Invalid("invoice_not_draft", "Only a DRAFT invoice can be edited, or an ISSUED electronic invoice that DIAN rejected (which is corrected).")
	ErrAmountTooLarge  = Invalid("invoice_amount_too_large", "The invoice's computed amounts exceed 9 999 999 999 999 999.99.")
)

// Failures of requests sent with an Idempotency-Key.
var (
	ErrIdempotencyInProgress = &Error{Kind: KindConflict, Code: "idempotency_in_progress",
		Detail: "A request with this Idempotency-Key is still running; retry later."}
	ErrIdempotencyKeyReused = &Error{Kind: KindUnprocessable, Code: "idempotency_key_reused",
		Detail: "This Idempotency-Key was used for another request; use a new key for a new request."}
)

// Sentinel errors of electronic invoicing: the fiscal profile, numbering
// resolutions and documents.
var (
	ErrFiscalProfileNotFound = &Error{Kind: KindNotFound, Code: "fiscal_profile_not_found",
		Detail: "The tenant has no fiscal profile yet; PUT /billing/fiscal-profile creates it."}
	ErrSoftwarePinRequired = Invalid("software_pin_required", "The first fiscal profile must carry the software PIN.",
		FieldError{Field: "softwarePin", Message: "is required until a PIN is stored"})
	ErrResolutionNotFound = &Error{Kind: KindNotFound, Code: "numbering_resolution_not_found", Detail: "Numbering resolution not found."}
	ErrResolutionOverlaps = &Error{Kind: KindConflict, Code: "resolution_overlaps",
		Detail: "The range overlaps another active range of this tenant with the same document kind and prefix, or holds a numero the tenant already used."}
	// The numbering refusals, of an invoice's issue (FACTURA ranges) and of
	// a credit note (NOTA_CREDITO ranges) alike: nothing is issued.
	ErrResolutionMissing = &Error{Kind: KindConflict, Code: "numbering_resolution_missing",
		Detail: "The tenant has no active numbering resolution for this document (FACTURA for an invoice, NOTA_CREDITO for a credit note); nothing was issued."}
	ErrResolutionExpired = &Error{Kind: KindConflict, Code: "numbering_resolution_expired",
		Detail: "No active numbering resolution for this document is valid on today's date (Colombia); nothing was issued."}
	ErrRangeExhausted = &Error{Kind: KindConflict, Code: "numbering_range_exhausted",
		Detail: "Every number of the active numbering resolutions for this document valid today is used; nothing was issued."}
	// ErrNumeroAssignedAtIssue refuses a numero sent by a tenant that
	// invoices electronically: its numbers come from its resolution when an
	// invoice is issued, and a client's value is never silently dropped.
	ErrNumeroAssignedAtIssue = Invalid("numero_assigned_at_issue",
		"This tenant invoices electronically: an invoice's numero is taken from its numbering resolution when it is issued; leave numero out.",
		FieldError{Field: "numero", Message: "must be absent: the number is assigned at issue"})
	// ErrNumeroReserved refuses a client's numero that an active invoice
	// range of the tenant is yet to give: its issue would collide with it.
	ErrNumeroReserved = Invalid("numero_reserved_by_resolution",
		"This numero belongs to an active numbering resolution of the tenant (its prefix and a number it has yet to give); choose another.",
		FieldError{Field: "numero", Message: "is reserved by an active numbering resolution"})
	// ErrDraftHasClientNumero refuses to issue, under a resolution, a draft
	// written before the tenant had a fiscal profile with a numero of its own.
	ErrDraftHasClientNumero = &Error{Kind: KindConflict, Code: "invoice_numero_client_chosen",
		Detail: "This draft carries a client-chosen numero from before electronic invoicing; edit the draft without numero, then issue it."}
	ErrInvoiceNotIssued = &Error{Kind: KindConflict, Code: "invoice_not_issued", Detail: "The invoice is not issued yet: it has no document."}
	ErrNotElectronic    = &Error{Kind: KindConflict, Code: "einvoicing_not_configured",
		Detail: "The invoice was issued without electronic invoicing (a client-chosen numero, no CUFE): it has no UBL document."}
)

// Sentinel errors of what is owed: payments and credit notes.
var (
	ErrPaymentNotFound        = &Error{Kind: KindNotFound, Code: "payment_not_found", Detail: "Payment not found."}
	ErrPaymentAlreadyReversed = &Error{Kind: KindConflict, Code: "payment_already_reversed", Detail: "The payment was already reversed."}
	ErrPaymentExceedsBalance  = &Error{Kind: KindConflict, Code: "payment_exceeds_balance",
		Detail: "The payment is larger than the invoice's open balance.", Fields: []FieldError{{Field: "valor", Message: "exceeds the open balance"}}}
	ErrInvoiceHasPayments = &Error{Kind: KindConflict, Code: "invoice_has_payments",
		Detail: "The invoice has payments that count; reverse them before annulling it."}
	ErrCreditNoteNotFound = &Error{Kind: KindNotFound, Code: "credit_note_not_found", Detail: "Credit note not found."}
	// ErrPayableNotIssued refuses a payment or a credit note of an invoice
	// that is not ISSUED (a draft owes nothing yet; a cancelled one nothing
	// any more).
	ErrPayableNotIssued = &Error{Kind: KindConflict, Code: "invoice_not_issued",
		Detail: "Only an ISSUED invoice takes payments and credit notes."}
	// ErrSecretKeyMissing refuses to keep a secret (a certificate, a PIN, a
	// technical key) when the service has no BILLING_SECRET_KEY to seal it
	// with, and to use one that is sealed.
	ErrSecretKeyMissing = &Error{Kind: KindConflict, Code: "secret_key_missing",
		Detail: "The service has no BILLING_SECRET_KEY, so it cannot keep or use secrets; its operator must configure one."}
	ErrEInvoiceNotResendable = &Error{Kind: KindConflict, Code: "einvoice_not_resendable",
		Detail: "Only an invoice DIAN rejected, or whose last sending failed, is sent again; this one is pending, being processed or accepted."}
	// ErrMailNotIssued refuses to mail an invoice that is a draft or was
	// cancelled: there is no valid document to send.
	ErrMailNotIssued = &Error{Kind: KindConflict, Code: "invoice_not_issued",
		Detail: "Only an ISSUED invoice is mailed: this one is a draft or was cancelled."}
	ErrCustomerEmailMissing = &Error{Kind: KindConflict, Code: "customer_email_missing",
		Detail: "The customer has no email: send one in the body, or add it to the customer."}
	ErrEInvoiceRejected = &Error{Kind: KindConflict, Code: "einvoice_rejected",
		Detail: "DIAN rejected this invoice: correct it (PUT /billing/invoices/{id}), then mail it again."}
	ErrCorrectionHasPayments = &Error{Kind: KindConflict, Code: "invoice_has_payments",
		Detail: "The rejected invoice has payments that count; reverse them before correcting it."}
	ErrCorrectionHasCreditNotes = &Error{Kind: KindConflict, Code: "invoice_has_credit_notes",
		Detail: "Credit notes were issued against the rejected invoice; a correction would leave them pointing at another document."}
	ErrWebhookNotFound      = &Error{Kind: KindNotFound, Code: "webhook_not_found", Detail: "Webhook not found."}
	ErrDeliveryNotFound     = &Error{Kind: KindNotFound, Code: "delivery_not_found", Detail: "Delivery not found."}
	ErrDeliveryNotRetryable = &Error{Kind: KindConflict, Code: "delivery_not_retryable",
		Detail: "Only a failed, cancelled or retrying delivery can be retried; this one is pending, running or done."}
	ErrCertificateNotFound = &Error{Kind: KindNotFound, Code: "certificate_not_found", Detail: "The tenant has no signing certificate."}
	ErrCertificateExpired  = &Error{Kind: KindInvalid, Code: "certificate_expired",
		Detail: "The certificate has expired; DIAN refuses documents signed with it.", Fields: []FieldError{{Field: "p12", Message: "expired"}}}
)

// CertificateInvalid refuses an uploaded PKCS#12 file, saying why; a wrong
// password names the password.
func CertificateInvalid(field, why string) *Error {
	return Invalid("certificate_invalid", "The certificate cannot be used to sign DIAN documents.", FieldError{Field: field, Message: why})
}

// PaymentDateInvalid refuses a payment's fecha, saying why.
func PaymentDateInvalid(why string) *Error {
	return Invalid("payment_date_invalid", "The payment's date is not possible.", FieldError{Field: "fecha", Message: why})
}
