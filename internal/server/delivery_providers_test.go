package server_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"billing/gen/api"
	"billing/internal/auth"
)

// TestDeliveryProviders: providers are added with a unique name
// (case-insensitive, accents included), listed by name, renamed and
// deactivated; another tenant's provider is not found.
func TestDeliveryProviders(t *testing.T) {
	t.Parallel()
	l := newLedger(t)
	add := func(body any) response { return l.e.do(http.MethodPost, "/billing/delivery-providers", l.admin, body) }
	r := add(api.CreateDeliveryProvider{Nombre: " Rappi "})
	wantStatus(t, r, http.StatusCreated)
	rappi := decode[api.DeliveryProvider](t, r)
	if rappi.Nombre != "Rappi" || !rappi.Activo {
		t.Fatalf("created %+v", rappi)
	}
	wantStatus(t, add(api.CreateDeliveryProvider{Nombre: "Domicilios propios", Activo: ptr(false)}), http.StatusCreated)
	wantProblem(t, add(api.CreateDeliveryProvider{Nombre: "RAPPI"}), http.StatusConflict, "delivery_provider_name_taken")
	wantStatus(t, add(map[string]any{"nombre": " "}), http.StatusBadRequest)
	list := decode[[]api.DeliveryProvider](t, l.e.do(http.MethodGet, "/billing/delivery-providers", l.e.token(l.tenant, auth.RoleViewer), nil))
	if len(list) != 2 || list[0].Nombre != "Domicilios propios" || list[0].Activo || list[1].ID != rappi.ID {
		t.Fatalf("list %+v", list)
	}
	r = l.e.do(http.MethodPatch, "/billing/delivery-providers/"+rappi.ID.String(), l.admin, api.UpdateDeliveryProvider{Nombre: ptr("Rappi Bogotá"), Activo: ptr(false)})
	wantStatus(t, r, http.StatusOK)
	if p := decode[api.DeliveryProvider](t, r); p.Nombre != "Rappi Bogotá" || p.Activo {
		t.Fatalf("patched %+v", p)
	}
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/delivery-providers/"+rappi.ID.String(), l.admin, api.UpdateDeliveryProvider{Nombre: ptr("DOMICILIOS PROPIOS")}),
		http.StatusConflict, "delivery_provider_name_taken")
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/delivery-providers/"+uuid.NewString(), l.admin, api.UpdateDeliveryProvider{Activo: ptr(true)}),
		http.StatusNotFound, "delivery_provider_not_found")
	other := l.e.token(l.e.tenant("B"), auth.RoleAdmin)
	wantProblem(t, l.e.do(http.MethodPatch, "/billing/delivery-providers/"+rappi.ID.String(), other, api.UpdateDeliveryProvider{Activo: ptr(true)}),
		http.StatusNotFound, "delivery_provider_not_found")
	if got := decode[[]api.DeliveryProvider](t, l.e.do(http.MethodGet, "/billing/delivery-providers", other, nil)); len(got) != 0 {
		t.Fatalf("the other tenant sees %d providers", len(got))
	}
}
