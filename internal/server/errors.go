package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"billing/gen/api"
	"billing/internal/fault"
	"billing/internal/ledger"
)

// statusFor is the one table from the domain's kinds of failure to HTTP.
var statusFor = map[fault.Kind]int{
	fault.KindInvalid:         http.StatusBadRequest,
	fault.KindUnauthenticated: http.StatusUnauthorized,
	fault.KindForbidden:       http.StatusForbidden,
	fault.KindNotFound:        http.StatusNotFound,
	fault.KindConflict:        http.StatusConflict,
	fault.KindUnavailable:     http.StatusServiceUnavailable,
	fault.KindUnprocessable:   http.StatusUnprocessableEntity,
}

// Failures that come from the HTTP layer rather than the domain.
var (
	errRouteNotFound = &fault.Error{Kind: fault.KindNotFound, Code: "route_not_found", Detail: "No such endpoint."}
	// These two have no domain kind: httpProblem gives them their status.
	errMethodNotAllowed = &fault.Error{Code: "method_not_allowed", Detail: "The endpoint does not support this method."}
	errBodyTooLarge     = &fault.Error{Code: "body_too_large", Detail: fmt.Sprintf("The request body exceeds %d bytes.", MaxBodyBytes)}
	errMalformed        = fault.Invalid("invalid_request", "The request is malformed.")
	errInternal         = &fault.Error{Code: "internal_error", Detail: "An unexpected error occurred; quote the request id when reporting it."}
	errNotReady         = &fault.Error{Kind: fault.KindUnavailable, Code: "not_ready", Detail: "The database is not reachable."}
)

// handleError is Echo's HTTPErrorHandler: every error of every request,
// whether from middleware, parameter binding or a handler, is rendered here
// once, as RFC 9457 problem+json. Only *fault.Error details reach the
// client; anything else is logged with the request id and answered with a
// generic 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var rp *ledger.Replay
	if errors.As(err, &rp) {
		c.Response().Header().Set("Idempotent-Replayed", "true")
		if err := c.Blob(rp.Status, "application/json", rp.Body); err != nil {
			s.log.ErrorContext(c.Request().Context(), "writing replay", "request_id", requestID(c), "error", err)
		}
		return
	}
	status, problem := http.StatusInternalServerError, errInternal
	var be *fault.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &be):
		status, problem = statusFor[be.Kind], be
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status, problem = httpProblem(he)
	}
	if status == http.StatusInternalServerError {
		problem = errInternal
		s.log.ErrorContext(c.Request().Context(), "request failed",
			"request_id", requestID(c), "error", err.Error())
	} else if he != nil && he.Internal != nil {
		s.log.DebugContext(c.Request().Context(), "request rejected",
			"request_id", requestID(c), "error", he.Internal.Error())
	}
	if err := writeProblem(c, status, problem); err != nil {
		s.log.ErrorContext(c.Request().Context(), "writing problem", "request_id", requestID(c), "error", err)
	}
}

// httpProblem maps Echo's own errors (unknown route, parameter binding,
// body limit) to problems.
func httpProblem(he *echo.HTTPError) (int, *fault.Error) {
	switch he.Code {
	case http.StatusNotFound:
		return http.StatusNotFound, errRouteNotFound
	case http.StatusMethodNotAllowed:
		return http.StatusMethodNotAllowed, errMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return http.StatusRequestEntityTooLarge, errBodyTooLarge
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		return http.StatusBadRequest, errMalformed
	}
	return http.StatusInternalServerError, errInternal
}

func writeProblem(c echo.Context, status int, e *fault.Error) error {
	id := requestID(c)
	p := api.Problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Code:      e.Code,
		Detail:    e.Detail,
		RequestID: &id,
	}
	if len(e.Fields) > 0 {
		fields := make([]api.FieldError, len(e.Fields))
		for i, f := range e.Fields {
			fields[i] = api.FieldError{Field: f.Field, Message: f.Message}
		}
		p.Errors = &fields
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="billing"`)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.Blob(status, "application/problem+json", body)
}
