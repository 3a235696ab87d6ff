package server

import (
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"billing/internal/auth"
)

const (
	headerRequestID = "X-Request-Id"
	keyRequestID    = "request_id"
	keyOperation    = "operation_id"
)

// clientRequestID is what we accept as a caller's own request id: short and
// printable, so it is safe to echo in headers and logs.
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._:\-]{1,128}$`)

// withRequestID honours a well-formed X-Request-Id from the caller (so a
// request can be traced across services) or makes one, and echoes it.
func withRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(headerRequestID)
		if !clientRequestID.MatchString(id) {
			id = uuid.Must(uuid.NewV7()).String()
		}
		c.Set(keyRequestID, id)
		c.Response().Header().Set(headerRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(keyRequestID).(string)
	return id
}

// accessLog writes one JSON line per request once it is answered. It logs
// the path but not the query string, which may carry customers' names.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Render now so the status below is the one the client gets.
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		attrs := []slog.Attr{
			slog.String("request_id", requestID(c)),
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		}
		op, _ := c.Get(keyOperation).(string)
		if op != "" {
			attrs = append(attrs, slog.String("operation", op))
		}
		s.metrics.observe(op, req.Method, res.Status, time.Since(start))
		if p, ok := auth.FromContext(req.Context()); ok {
			attrs = append(attrs, slog.String("tenant_id", p.TenantID.String()),
				slog.String("sub", p.Subject), slog.String("role", string(p.Role)))
		}
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "request", attrs...)
		return nil
	}
}

// recoverPanic turns a panic in a handler into a logged 500, so one bad
// request never takes the process down or leaks a stack trace to the client.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}
