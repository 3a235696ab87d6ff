package cli

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLogBuffer(t *testing.T) {
	t.Run("held until Close", func(t *testing.T) {
		var out syncBuffer
		b := newLogBuffer(&out, time.Hour)
		for i := 0; i < 3; i++ {
			if _, err := b.Write([]byte("{\"msg\":\"request\"}\n")); err != nil {
				t.Fatal(err)
			}
		}
		if got := out.String(); got != "" {
			t.Fatalf("written before the interval: %q", got)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(out.String(), "request"); got != 3 {
			t.Fatalf("%d records after Close, want 3: %q", got, out.String())
		}
		// A request that outlived the shutdown still logs, at once; a
		// second Close is harmless.
		if _, err := b.Write([]byte("{\"msg\":\"late\"}\n")); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "late") {
			t.Fatalf("a record written after Close is not written through: %q", out.String())
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a failed write does not silence the log", func(t *testing.T) {
		w := &failingOnce{}
		b := newLogBuffer(w, time.Hour)
		b.Write([]byte("lost\n"))
		b.mu.Lock()
		if err := b.flush(); err == nil {
			t.Fatal("the failing write's error was not reported")
		}
		b.mu.Unlock()
		b.Write([]byte("kept\n"))
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if got := w.b.String(); got != "kept\n" {
			t.Fatalf("after a failed write the log holds %q, want the next record", got)
		}
	})
	t.Run("flushed every interval", func(t *testing.T) {
		var out syncBuffer
		b := newLogBuffer(&out, 10*time.Millisecond)
		defer b.Close()
		if _, err := b.Write([]byte("{\"msg\":\"one\"}\n")); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), "one"); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the record was not written within 5 s of a 10 ms interval")
			}
		}
	})
	t.Run("a full buffer is written at once", func(t *testing.T) {
		var out syncBuffer
		b := newLogBuffer(&out, time.Hour)
		defer b.Close()
		line := []byte(strings.Repeat("x", 1023) + "\n")
		for i := 0; i < 65; i++ {
			if _, err := b.Write(line); err != nil {
				t.Fatal(err)
			}
		}
		if len(out.String()) < 64<<10 {
			t.Fatalf("%d bytes written after 65 KB, want the first 64 KB", len(out.String()))
		}
	})
}

// failingOnce refuses its first write, then keeps what it is given.
type failingOnce struct {
	failed bool
	b      strings.Builder
}

func (f *failingOnce) Write(p []byte) (int, error) {
	if !f.failed {
		f.failed = true
		return 0, errors.New("disk full")
	}
	return f.b.Write(p)
}
