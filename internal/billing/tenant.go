package billing

import (
	"time"

	"github.com/google/uuid"
)

// Tenant is one business whose data the service keeps apart from every
// other's.
type Tenant struct {
	ID        uuid.UUID
	Name      string
	Status    TenantStatus
	CreatedAt time.Time
	UpdatedAt time.Time
}
