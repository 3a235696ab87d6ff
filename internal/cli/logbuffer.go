package cli

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logBuffer is the service's log writer: records gather in memory and reach
// the underlying writer every interval (or whenever 64 KB have gathered),
// and on Close. Writing each access-log record as it came was one write(2)
// per request, 5 % of a dashboard read's CPU under make bench; a record
// now waits at most the interval, and a process killed outright loses at
// most that much of its log.
type logBuffer struct {
	mu     sync.Mutex
	out    io.Writer
	w      *bufio.Writer
	closed bool
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// newLogBuffer starts flushing to w every interval until Close.
func newLogBuffer(w io.Writer, interval time.Duration) *logBuffer {
	b := &logBuffer{out: w, w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				b.mu.Lock()
				b.flush()
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// Write keeps p for the next flush; after Close it writes p through, so
// that what a request still logs during a shutdown that gave up waiting
// for it is not lost. slog's handlers write one record per call, under
// their own lock.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.out.Write(p)
	}
	return b.w.Write(p)
}

// flush writes out what has gathered; the caller holds mu. A bufio.Writer
// keeps its first error for good, so after one (a full disk, say) it starts
// afresh rather than silencing the log until a restart; what it held is
// lost, as an unbuffered write would have lost it.
func (b *logBuffer) flush() error {
	err := b.w.Flush()
	if err != nil {
		b.w.Reset(b.out)
	}
	return err
}

// Close stops the flushing and writes out what is left; later writes go
// straight through. Closing twice is closing once.
func (b *logBuffer) Close() error {
	var err error
	b.once.Do(func() {
		close(b.stop)
		<-b.done
		b.mu.Lock()
		defer b.mu.Unlock()
		err = b.flush()
		b.closed = true
	})
	return err
}
