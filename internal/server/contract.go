package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"billing/gen/api"
	"billing/internal/auth"
	"billing/internal/fault"
)

// MaxBodyBytes bounds every request body; larger ones answer 413.
const MaxBodyBytes = 1 << 20

func init() {
	// kin-openapi leaves format: uuid unchecked unless told; RFC 9562 also
	// admits the UUIDv7 ids this service hands out.
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
}

// contract enforces openapi.yaml on every request before any handler runs:
// the route must exist, secured operations need a valid token, an allowed
// role and an ACTIVE tenant, and parameters and body must match the schemas.
type contract struct {
	router   routers.Router
	spec     *openapi3.T
	verifier *auth.Verifier
	options  *openapi3filter.Options
}

func newContract(verifier *auth.Verifier) (*contract, error) {
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("loading embedded spec: %w", err)
	}
	// Match on paths alone: the servers list names hosts for documentation,
	// not for routing.
	spec.Servers = nil
	router, err := legacy.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("building spec router: %w", err)
	}
	return &contract{
		router:   router,
		spec:     spec,
		verifier: verifier,
		options: &openapi3filter.Options{
			MultiError: true,
			// Authentication happened already, with richer answers than the
			// validator could give.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}, nil
}

func (k *contract) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		route, params, err := k.findRoute(req)
		if err != nil {
			if allow := k.allowedMethods(req); len(allow) > 0 {
				c.Response().Header().Set("Allow", strings.Join(allow, ", "))
				return echo.ErrMethodNotAllowed
			}
			return errRouteNotFound
		}
		c.Set(keyOperation, route.Operation.OperationID)
		body, err := limitBody(req)
		if err != nil {
			return err
		}
		if key := req.Header.Get("Idempotency-Key"); key != "" && req.Method == http.MethodPost {
			req = req.WithContext(withIdempotency(req.Context(), key, req.URL.Path, body))
			c.SetRequest(req)
		}
		if k.secured(route.Operation) {
			p, err := k.authenticate(req, route.Operation.OperationID)
			if err != nil {
				return err
			}
			req = req.WithContext(auth.WithPrincipal(req.Context(), p))
			c.SetRequest(req)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: k.options}
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			return validationProblem(err)
		}
		return next(c)
	}
}

// findRoute finds the spec operation for req. kin-openapi's router lets a
// path parameter match an empty segment ("/billing/customers" would match
// "/billing/customers/{id}" with id ""); such a match is no match.
func (k *contract) findRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range params {
		if v == "" {
			return nil, nil, routers.ErrPathNotFound
		}
	}
	return route, params, nil
}

// allowedMethods lists the methods the spec declares for the request's path,
// so that a wrong method answers 405 with Allow rather than 404.
func (k *contract) allowedMethods(req *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := req.Clone(req.Context())
		probe.Method = m
		if _, _, err := k.findRoute(probe); err == nil {
			allow = append(allow, m)
		}
	}
	return allow
}

// secured reports whether the operation requires a token: its own security
// list if it has one (an empty list means none), else the document's.
func (k *contract) secured(op *openapi3.Operation) bool {
	if op.Security != nil {
		return len(*op.Security) > 0
	}
	return len(k.spec.Security) > 0
}

// authenticate verifies the bearer token, then the role for this operation.
// That the tenant exists and is ACTIVE is checked by the request's own
// database transaction (store.InTx/Read), in the same round trip that starts
// it, so a deactivation still takes effect on the next request.
func (k *contract) authenticate(req *http.Request, operationID string) (auth.Principal, error) {
	token, err := bearerToken(req.Header.Get("Authorization"))
	if err != nil {
		return auth.Principal{}, err
	}
	p, err := k.verifier.Verify(req.Context(), token)
	if err != nil {
		return auth.Principal{}, err
	}
	if !auth.Allowed(operationID, p.Role) {
		return auth.Principal{}, &fault.Error{Kind: fault.KindForbidden, Code: "role_forbidden",
			Detail: fmt.Sprintf("Role %s may not perform %s.", p.Role, operationID)}
	}
	return p, nil
}

func bearerToken(header string) (string, error) {
	if header == "" {
		return "", auth.ErrTokenMissing
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", auth.ErrTokenInvalid
	}
	return strings.TrimSpace(token), nil
}

// limitBody reads the body up to MaxBodyBytes and puts it back, so that both
// the validator and the handler can read it, refuses a larger one, and
// returns it (for the idempotency fingerprint).
func limitBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.ContentLength > MaxBodyBytes {
		return nil, echo.ErrStatusRequestEntityTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxBodyBytes+1))
	_ = req.Body.Close()
	if err != nil {
		return nil, echo.ErrBadRequest.WithInternal(fmt.Errorf("reading body: %w", err))
	}
	if len(body) > MaxBodyBytes {
		return nil, echo.ErrStatusRequestEntityTooLarge
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// validationProblem lists every bad field of a failed request validation.
func validationProblem(err error) error {
	var fields []fault.FieldError
	collectFieldErrors(err, "", &fields)
	if len(fields) == 0 {
		fields = []fault.FieldError{{Field: "request", Message: "does not match the API contract"}}
	}
	return fault.InvalidRequest(fields...)
}

// unsupportedProperty reads the name out of kin-openapi's message for a
// property that additionalProperties: false forbids.
var unsupportedProperty = regexp.MustCompile(`^property "([^"]+)" is unsupported`)

// collectFieldErrors walks kin-openapi's error tree (multi-errors of request
// errors of schema errors) and names each bad value by where it sits:
// "path.id", "query.search", "body.items.0.cantidad". It switches on the
// concrete types, not errors.As, because errors.As would skip a request error
// in favour of the multi-error it wraps and lose the field's location.
func collectFieldErrors(err error, prefix string, out *[]fault.FieldError) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			collectFieldErrors(inner, prefix, out)
		}
	case *openapi3filter.RequestError:
		where := "body"
		if e.Parameter != nil {
			where = e.Parameter.In + "." + e.Parameter.Name
		}
		if e.Err == nil {
			*out = append(*out, fault.FieldError{Field: where, Message: e.Reason})
			return
		}
		collectFieldErrors(e.Err, where, out)
	case *openapi3filter.ParseError:
		*out = append(*out, fault.FieldError{Field: prefix, Message: "is not valid JSON of the declared type"})
	case *openapi3.SchemaError:
		field := prefix
		for _, part := range e.JSONPointer() {
			field += "." + part
		}
		if m := unsupportedProperty.FindStringSubmatch(e.Reason); m != nil {
			// The pointer stops at the object; name the property itself.
			field += "." + m[1]
		}
		msg := e.Reason
		if e.SchemaField == "format" && e.Schema != nil {
			// The reason quotes the whole format regexp; say it plainly.
			msg = fmt.Sprintf("must be a valid %s", e.Schema.Format)
		}
		*out = append(*out, fault.FieldError{Field: field, Message: msg})
	default:
		if next := errors.Unwrap(err); next != nil {
			collectFieldErrors(next, prefix, out)
			return
		}
		*out = append(*out, fault.FieldError{Field: prefix, Message: "is invalid"})
	}
}
