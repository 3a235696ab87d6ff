package auth

import (
	"slices"
	"testing"

	"billing/gen/api"
)

// TestPolicyCoversTheSpec: every secured operation of openapi.yaml has a
// role decision, and the policy names no operation the spec lacks.
func TestPolicyCoversTheSpec(t *testing.T) {
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	var secured []string
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Security != nil && len(*op.Security) == 0 {
				continue
			}
			secured = append(secured, op.OperationID)
		}
	}
	ops := Operations()
	slices.Sort(secured)
	slices.Sort(ops)
	if !slices.Equal(secured, ops) {
		t.Fatalf("spec's secured operations %v, policy %v", secured, ops)
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		op   string
		role Role
		want bool
	}{
		{"ListCustomers", RoleViewer, true},
		{"CreateCustomer", RoleViewer, false},
		{"CreateCustomer", RoleOperador, true},
		{"DeleteCustomer", RoleOperador, false},
		{"DeleteCustomer", RoleAdmin, true},
		{"NoSuchOperation", RoleAdmin, false},
		{"ListCustomers", Role("ROOT"), false},
	}
	for _, tt := range tests {
		if got := Allowed(tt.op, tt.role); got != tt.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", tt.op, tt.role, got, tt.want)
		}
	}
}
