package pglocal

import (
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

// process is a server this package runs (postgres, pgbouncer) in its own
// process group, which dies with this process.
type process struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error // why it exited, once exited is closed
}

// startProcess starts cmd as the account cred (nil: ours). On Ctrl-C at the
// terminal the signal reaches us, not the server (its own process group), so
// we can stop the HTTP server first and the database last; if this process
// dies without stopping it, the server gets SIGINT, PostgreSQL's fast
// shutdown.
func startProcess(cmd *exec.Cmd, cred *syscall.Credential) (*process, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGINT}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the forking OS thread exits, so the fork
		// happens on a thread that stays locked until the server has exited.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// stop sends sig and waits up to grace for the server to exit, then kills it.
func (p *process) stop(sig syscall.Signal, grace time.Duration) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within %v and was killed", p.cmd.Path, grace)
	}
}
