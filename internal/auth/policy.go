package auth

import "slices"

var (
	anyRole   = []Role{RoleViewer, RoleOperador, RoleAdmin}
	writers   = []Role{RoleOperador, RoleAdmin}
	adminOnly = []Role{RoleAdmin}
)

// policy maps every authenticated operation of openapi.yaml to the roles
// allowed to call it. Keys are operation ids as the generated code spells them
// (oapi-codegen capitalises them in the embedded spec and the strict handler). An operation missing here is refused to
// everyone; a test checks that the table and the spec name the same
// operations, so a new endpoint cannot ship without a decision here.
var policy = map[string][]Role{
	"ListCustomers":  anyRole,
	"GetCustomer":    anyRole,
	"CreateCustomer": writers,
	"UpdateCustomer": writers,
	"DeleteCustomer": adminOnly,

	"ListProducts":       anyRole,
	"GetProduct":         anyRole,
	"CreateProduct":      adminOnly,
	"UpdateProduct":      adminOnly,
	"AdjustStock":        adminOnly,
	"ListStockMovements": anyRole,

	"ListInvoices":        anyRole,
	"GetInvoice":          anyRole,
	"GetInvoiceHistory":   anyRole,
	"CreateInvoice":       writers,
	"ReplaceInvoice":      writers,
	"UpdateInvoiceStatus": adminOnly,

	"GetInvoiceXML": anyRole,
	"GetInvoicePdf": anyRole,

	"GetFiscalProfile":          anyRole,
	"PutFiscalProfile":          adminOnly,
	"GetSigningCertificate":     anyRole,
	"GetInvoiceEInvoice":        anyRole,
	"ResendInvoiceEInvoice":     adminOnly,
	"SendInvoiceEmail":          writers,
	"ListDeliveries":            adminOnly,
	"ListWebhooks":              adminOnly,
	"CreateWebhook":             adminOnly,
	"DeleteWebhook":             adminOnly,
	"RotateWebhookSecret":       adminOnly,
	"ListWebhookDeliveries":     adminOnly,
	"RetryDelivery":             adminOnly,
	"PutSigningCertificate":     adminOnly,
	"ListNumberingResolutions":  anyRole,
	"GetNumberingResolution":    anyRole,
	"CreateNumberingResolution": adminOnly,
	"UpdateNumberingResolution": adminOnly,

	"ListDeliveryProviders":  anyRole,
	"CreateDeliveryProvider": adminOnly,
	"UpdateDeliveryProvider": adminOnly,
	"ListOrders":             anyRole,
	"GetOrder":               anyRole,
	"CreateOrder":            writers,
	"UpdateOrderStatus":      writers,
	"CreatePosInvoice":       writers,
	"GetInvoiceSale":         anyRole,
	"ListCashRegisters":      anyRole,
	"CreateCashRegister":     adminOnly,
	"OpenCashRegister":       writers,
	"CreateCashMovement":     writers,
	"CloseCashRegister":      writers,
	"ListCashSessions":       anyRole,
	"ListPaymentMethods":     anyRole,
	"CreatePaymentMethod":    adminOnly,
	"UpdatePaymentMethod":    adminOnly,

	"ListInvoicePayments":    anyRole,
	"CreatePayment":          writers,
	"ReversePayment":         adminOnly,
	"ListInvoiceCreditNotes": anyRole,
	"CreateCreditNote":       adminOnly,
	"ListCreditNotes":        anyRole,
	"GetCreditNote":          anyRole,
	"GetCreditNoteXML":       anyRole,
	"GetCreditNotePdf":       anyRole,
	"GetReceivables":         anyRole,

	"GetDashboard": anyRole,
}

// Allowed reports whether role may call the operation with this id.
func Allowed(operationID string, role Role) bool {
	return slices.Contains(policy[operationID], role)
}

// Operations returns the operation ids the policy covers, in no order.
func Operations() []string {
	ops := make([]string, 0, len(policy))
	for op := range policy {
		ops = append(ops, op)
	}
	return ops
}
