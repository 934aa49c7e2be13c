package access

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultScanInterval is how often an idle Worker looks for pending requests
// it was not told about.
const DefaultScanInterval = 30 * time.Second

// Worker processes the asynchronous requests of a Service: it sleeps until
// Notify (a new request) or the periodic scan, then processes every pending
// request in the database, so requests left IN_PROGRESS by a stopped server
// are completed by the next one.
type Worker struct {
	Service *Service
	// Interval between scans; DefaultScanInterval when zero.
	Interval time.Duration
	// Log reports processing errors; nil logs nothing.
	Log *slog.Logger

	once   sync.Once
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

func (w *Worker) init() { w.once.Do(func() { w.wake = make(chan struct{}, 1) }) }

// Notify wakes the worker; it never blocks and may be called before Start.
func (w *Worker) Notify() {
	w.init()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Start runs the worker until Stop or ctx's end; pending requests are
// processed at once.
func (w *Worker) Start(ctx context.Context) {
	w.init()
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultScanInterval
	}
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if _, err := w.Service.ProcessPending(ctx); err != nil && ctx.Err() == nil && w.Log != nil {
				w.Log.Warn("sso requests: processing stopped; retried at the next scan", "err", err)
			}
			if _, err := w.Service.ProcessInstances(ctx); err != nil && ctx.Err() == nil && w.Log != nil {
				w.Log.Warn("sso instances: processing stopped; retried at the next scan", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			case <-t.C:
			}
		}
	}()
}

// Stop ends the worker and waits for the request in progress to finish.
func (w *Worker) Stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
	w.cancel = nil
}
