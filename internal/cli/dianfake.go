package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"billing/internal/dianfake"
)

// defaultSchemas is where a checkout keeps the UBL 2.1 schemas the
// double validates documents against.
const defaultSchemas = "internal/dian/testdata/ubl-2.1"

// repeated is a flag that may be given more than once.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// runDianFake is `billing dian-fake`: DIAN's web service doubled on
// loopback (internal/dianfake), for make run and tests of a whole flow.
func runDianFake(ctx context.Context, a *app, args []string) error {
	fs := a.flags("dian-fake")
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	schemas := fs.String("schemas", defaultSchemas, `the UBL 2.1 schemas' directory (maindoc/…); "" skips the schema check`)
	var ranges, software repeated
	fs.Var(&ranges, "range", "a numbering range it knows besides DIAN's test range: PREFIX:FROM-TO:KEY (repeatable)")
	fs.Var(&software, "software", "a software id and its PIN, to check security codes and CUDEs: ID:PIN (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	rs, sw, err := fakeConfig(ranges, software)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(a.stderr, nil))
	if len(sw) == 0 {
		log.Info("no --software given: security codes and CUDEs are not checked")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return configErrorf("cannot listen on %s: %v", *addr, err)
	}
	srv := &http.Server{Handler: dianfake.New(log, *schemas, rs, sw), ReadHeaderTimeout: readHeaderTimeout}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	log.Info("DIAN's test double serving", "addr", ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// fakeConfig reads --range and --software values.
func fakeConfig(ranges, software []string) ([]dianfake.Range, map[string]string, error) {
	var rs []dianfake.Range
	for _, v := range ranges {
		parts := strings.Split(v, ":")
		if len(parts) != 3 {
			return nil, nil, configErrorf("--range %q: want PREFIX:FROM-TO:KEY", v)
		}
		from, to, ok := strings.Cut(parts[1], "-")
		f, err1 := strconv.ParseInt(from, 10, 64)
		t, err2 := strconv.ParseInt(to, 10, 64)
		if !ok || err1 != nil || err2 != nil || f > t {
			return nil, nil, configErrorf("--range %q: FROM-TO must be two numbers in order", v)
		}
		rs = append(rs, dianfake.Range{Prefix: parts[0], From: f, To: t, Key: parts[2]})
	}
	sw := map[string]string{}
	for _, v := range software {
		id, pin, ok := strings.Cut(v, ":")
		if !ok || id == "" || pin == "" {
			return nil, nil, configErrorf("--software %q: want ID:PIN", v)
		}
		sw[id] = pin
	}
	return rs, sw, nil
}

var _ flag.Value = (*repeated)(nil)

// startDianFake serves the double on a free loopback port for `billing
// dev` and answers its URL; it stops with ctx.
func startDianFake(ctx context.Context, log *slog.Logger, software map[string]string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("starting DIAN's test double: %w", err)
	}
	srv := &http.Server{Handler: dianfake.New(log, defaultSchemas, nil, software), ReadHeaderTimeout: readHeaderTimeout}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/WcfDianCustomerServices.svc", nil
}
